package dev.codemode.runtime;

/**
 * One downstream tool call made by a run.
 *
 * @param ran false when the call was refused before it reached the server (invalid arguments, server down):
 *     it cannot have changed anything
 */
public record ToolCallRecord(String tool, boolean ok, long ms, boolean ran) {

  /** A call that reached the server. */
  public ToolCallRecord(String tool, boolean ok, long ms) {
    this(tool, ok, ms, true);
  }

  /** A call refused before it reached the server. */
  public static ToolCallRecord refused(String tool) {
    return new ToolCallRecord(tool, false, 0, false);
  }
}
