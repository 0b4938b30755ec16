package dev.codemode.server.egress;

/** A fetch the policy refused before it went out; the message names the policy or rule that refused it. */
public class EgressDeniedException extends EgressException {
  private static final long serialVersionUID = 1L;

  public EgressDeniedException(String reason) {
    super(reason);
  }

  /** The denial reason (same as the message). */
  public String reason() {
    return getMessage();
  }
}
