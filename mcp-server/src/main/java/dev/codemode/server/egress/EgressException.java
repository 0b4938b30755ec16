package dev.codemode.server.egress;

/** A fetch that did not produce a response; the message is safe to show to the guest (no host class names). */
public class EgressException extends Exception {
  private static final long serialVersionUID = 1L;

  public EgressException(String message) {
    super(message);
  }
}
