package dev.codemode.runtime;

/**
 * A failed capability call. Only {@link #code()} and the message reach the guest, never a class name
 * or a host stack.
 */
public class BridgeException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String code;

  public BridgeException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** A short machine-readable code, such as {@code EACCES} or {@code ETOOL}. */
  public String code() {
    return code;
  }
}
