package dev.codemode.server.tool;

import java.util.Map;

/** The {@code execute_code} description: what the sandbox offers and lacks, the result contract, one example. */
public final class ToolDescription {
  /** The description's example, as given; an end-to-end test runs exactly this against the real reference servers. */
  public static final String EXAMPLE = """
      import { writeFile } from 'node:fs/promises';
      const graph = await servers.memory.searchNodes({ query: "invoice" });
      console.log(graph.entities.length, "found");
      const names = graph.entities.filter(e => e.entityType === "invoice").map(e => e.name);
      await writeFile("/workspace/out/invoices.json", JSON.stringify(names));
      return names.slice(0, 5);
      """;

  private ToolDescription() {}

  /** The description, listing each configured server with a one-line summary. */
  public static String text(Map<String, String> serverSummaries, String profiles) {
    StringBuilder sb = new StringBuilder();
    sb.append("""
        Run JavaScript (or TypeScript: types are stripped) in a fresh, isolated sandbox (GraalJS, ES2024) \
        and get back what it returns.
        The code is the body of an async function: use top-level `await` and `return` a JSON-serializable value; \
        static `import`s may be combined with that `return` (or write an ES module and `export default` the result). \
        Intermediate data stays in the sandbox; only the returned value and console output (both truncated) come back, \
        so filter and aggregate in code.

        Available inside:
        - `servers.<server>.<tool>(args)` → Promise of the tool's result (structured content or parsed JSON, else text); \
        a tool error throws. Tool names are camelCase (`get-sum` → `getSum`).
        - `codemode.searchTools(query)` → matching tools with one-line descriptions; \
        `codemode.describeTool('server.tool')` → its TypeScript signature. Use them instead of guessing arguments.
        - `fetch(url, init)` → {status, ok, headers.get(), text(), json()}; only hosts the policy allows \
        (denied requests reject with the rule that denied them).
        - `fs` (also `import … from 'node:fs/promises'`): readFile, writeFile, appendFile, readdir, stat, mkdir, rm \
        over /workspace (read-write, fresh each run; relative paths start here), /tmp, and read-only mounts. \
        /workspace/out/ exists at the start; files written there are kept as artifacts (listed in `artifacts`, readable as MCP resources).
        - `setTimeout`/`setInterval` (and clears), `queueMicrotask`: for retries and backoff, within the run's time.
        - `console.log/info/warn/error`.
        Not available: require, process, Buffer, npm packages, Node built-ins other than node:fs/promises, \
        browser APIs beyond the above, Java.
        Personal data (emails, phone numbers, cards, IBANs) in what comes back may be replaced by stable tokens \
        such as `[EMAIL_k3j9xq2m7pa4]`; write a token into later code as is and a tool it is passed to receives the \
        real value (a token assembled at run time stays a token).
        Limits: wall and CPU time, memory, stack depth, output size, pending timers; a run over a limit ends with \
        status "limit".

        Result: structuredContent {run_id, status: ok|error|limit|cancelled|internal_error, result, console, \
        error?, limit?, denials, tool_calls, egress, artifacts, duration_ms}.

        Example:
        """);
    EXAMPLE.lines().forEach(line -> sb.append("  ").append(line).append('\n'));
    if (serverSummaries.isEmpty()) {
      sb.append("\nServers: none configured.");
    } else {
      sb.append("\nServers:");
      serverSummaries.forEach((name, summary) -> sb.append("\n- ").append(name).append(summary.isBlank() ? "" : ": " + summary));
    }
    sb.append("\nProfiles: ").append(profiles).append(" (argument `profile`; default `default`).");
    return sb.toString();
  }
}
