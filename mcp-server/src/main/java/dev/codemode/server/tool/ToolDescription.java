package dev.codemode.server.tool;

import java.util.Map;

/** The {@code execute_code} description: what the sandbox offers and lacks, the result contract, one example. */
public final class ToolDescription {
  private ToolDescription() {}

  /** The description, listing each configured server with a one-line summary. */
  public static String text(Map<String, String> serverSummaries, String profiles) {
    StringBuilder sb = new StringBuilder();
    sb.append("""
        Run JavaScript (or TypeScript: types are stripped) in a fresh, isolated sandbox (GraalJS, ES2024) \
        and get back what it returns.
        The code is the body of an async function: use top-level `await` and `return` a JSON-serializable value \
        (or write an ES module and `export default` the result). Intermediate data stays in the sandbox; \
        only the returned value and console output (both truncated) come back, so filter and aggregate in code.

        Available inside:
        - `servers.<server>.<tool>(args)` → Promise of the tool's result (structured content or parsed JSON, else text); \
        a tool error throws. Tool names are camelCase (`get-sum` → `getSum`).
        - `codemode.searchTools(query)` → matching tools with one-line descriptions; \
        `codemode.describeTool('server.tool')` → its TypeScript signature. Use them instead of guessing arguments.
        - `fetch(url, init)` → {status, ok, headers.get(), text(), json()}; only hosts the policy allows \
        (denied requests reject with the rule that denied them).
        - `fs` (also `import … from 'node:fs/promises'`): readFile, writeFile, appendFile, readdir, stat, mkdir, rm \
        over /workspace (read-write, fresh each run; relative paths start here), /tmp, and read-only mounts. \
        Files written under /workspace/out/ are kept as artifacts.
        - `console.log/info/warn/error`.
        Not available: require, process, Buffer, setTimeout, Node or browser APIs beyond the above, Java.
        Limits: wall and CPU time, memory, stack depth, output size; a run over a limit ends with status "limit".

        Result: structuredContent {run_id, status: ok|error|limit|cancelled|internal_error, result, console, \
        error?, limit?, denials, tool_calls, egress, artifacts, duration_ms}.

        Example:
          const items = await servers.memory.searchNodes({ query: "invoice" });
          console.log(items.nodes.length, "found");
          return items.nodes.filter(n => n.entityType === "invoice").map(n => n.name).slice(0, 5);
        """);
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
