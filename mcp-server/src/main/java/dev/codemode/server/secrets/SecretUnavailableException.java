package dev.codemode.server.secrets;

/** A secret source could not be read; the message names the reference and never holds a value or a source's output. */
public final class SecretUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public SecretUnavailableException(String message) {
    super(message);
  }
}
