package dev.codemode.server.state;

/** The shared state backend could not be reached or did not answer in time. */
public final class StateUnavailableException extends RuntimeException {
  public StateUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
