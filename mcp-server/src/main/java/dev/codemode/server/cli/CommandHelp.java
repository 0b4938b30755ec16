package dev.codemode.server.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code codemode COMMAND --help}: what one command takes and does. */
final class CommandHelp {
  private static final Map<String, String> HELP = Map.of(
      "serve", """
          usage: codemode serve [--config FILE] [--http HOST:PORT] [--metrics 127.0.0.1:PORT]
          Serves MCP over stdio (default) or Streamable HTTP (--http). Without --config, the embedded default:
          no network, an ephemeral workspace, no downstream servers.""",
      "run", """
          usage: codemode run [--config FILE] [--profile P] [--timeout-ms N] [--audit file|stderr] FILE|-
          Runs one script (or stdin with -) as execute_code would, prints the result as JSON, and keeps what
          it wrote under /workspace/out as artifacts ('codemode artifacts' lists and fetches them). Audit events
          go to the config's audit.path unless --audit stderr.""",
      "artifacts", """
          usage: codemode artifacts [--config FILE] list | get artifact://RUN_ID/NAME [--out FILE]
          Lists the files local runs kept (newest run first), or writes one to FILE (default: stdout).""",
      "bindings", """
          usage: codemode bindings [--config FILE] [--profile P] --out DIR
          Writes typed wrapper modules and declarations for the configured servers' tools into DIR (with
          --profile, only the tools that profile allows), declarations of the other sandbox globals
          (sandbox.d.ts), a strict tsconfig.json and typecheck.mjs: `node DIR/typecheck.mjs FILE...` type-checks
          scripts, top-level return included (needs the typescript package).""",
      "check-config", """
          usage: codemode check-config FILE
          Validates a configuration file and prints the effective policy; errors name file:line and the key.""",
      "admin", """
          usage: codemode admin [--config FILE] runs | cancel RUN_ID | killswitch on|off|status
          Talks to a running server's admin endpoint (admin.listen in the config).""",
      "quarantine", """
          usage: codemode quarantine [--config FILE] list | show ID | export ID [--out FILE]
          Lists, shows and exports quarantined runs.""",
      "hash-token", """
          usage: codemode hash-token [--new]
          Prints the sha256: form of a token read on stdin (kept out of shell history), for auth.tokens[].sha256;
          with --new (or new), makes a random token and prints it with its hash.""");

  private CommandHelp() {}

  /** The help of {@code command} when {@code rest} asks for it ({@code --help} or {@code -h}). */
  static Optional<String> requested(String command, List<String> rest) {
    if (!rest.contains("--help") && !rest.contains("-h")) {
      return Optional.empty();
    }
    return Optional.ofNullable(HELP.get(command));
  }
}
