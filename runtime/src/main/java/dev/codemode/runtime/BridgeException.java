package dev.codemode.runtime;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

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

  /** What a failed stage failed with: {@code failure} without the {@link CompletionException} or {@link ExecutionException} around it. */
  public static Throwable unwrap(Throwable failure) {
    return (failure instanceof CompletionException || failure instanceof ExecutionException)
        && failure.getCause() != null ? failure.getCause() : failure;
  }

  /**
   * The bridge failure {@code failure} carries, unwrapped; any other failure becomes {@code EHOST} with
   * no host detail, so nothing but a code and a chosen message reaches the guest.
   */
  public static BridgeException of(Throwable failure) {
    return of(failure, "EHOST", "the host could not complete this call");
  }

  /** As {@link #of(Throwable)}, with {@code code} and {@code message} for a failure that is no bridge failure. */
  public static BridgeException of(Throwable failure, String code, String message) {
    return unwrap(failure) instanceof BridgeException be ? be : new BridgeException(code, message);
  }
}
