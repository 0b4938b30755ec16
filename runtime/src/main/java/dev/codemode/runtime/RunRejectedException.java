package dev.codemode.runtime;

/** The runner is at capacity (every slot busy and the queue full): retry later. */
public class RunRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RunRejectedException(String message) {
    super(message, null, false, false);
  }
}
