package dev.codemode.policies.ops;

/**
 * Where audit events go.
 *
 * @param sink {@code stderr} or {@code file} (never stdout: in stdio mode it carries JSON-RPC)
 * @param path the active log file when the sink is {@code file} (absolute)
 * @param maxFileMb size at which the file rolls over
 * @param maxHistory rolled files kept
 */
public record AuditSettings(String sink, String path, int maxFileMb, int maxHistory) {
  /** Whether events go to a rotating file. */
  public boolean toFile() {
    return "file".equals(sink);
  }
}
