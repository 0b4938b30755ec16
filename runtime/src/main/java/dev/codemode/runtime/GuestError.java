package dev.codemode.runtime;

/**
 * An error raised by agent code, as data.
 *
 * @param type the JS error name (e.g. {@code TypeError})
 * @param stack only the agent's own frames, with its own line numbers; null when there are none
 */
public record GuestError(String type, String message, String stack) {
  /** The error of a run the sandbox itself failed, whatever the agent's code did. */
  public static final GuestError SANDBOX_FAILED = internal("the sandbox failed while running this code");

  /** An {@code InternalError}: the host, not the agent's code, could not complete the run; no stack. */
  public static GuestError internal(String message) {
    return new GuestError("InternalError", message, null);
  }
}
