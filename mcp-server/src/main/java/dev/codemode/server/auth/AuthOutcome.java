package dev.codemode.server.auth;

/**
 * The result of checking one request's credentials.
 *
 * @param principal the authenticated principal, or null
 * @param failure why authentication failed, or null when it succeeded
 * @param detail a short, safe description for {@code error_description} (never the token)
 */
public record AuthOutcome(Principal principal, Failure failure, String detail) {
  /** Why a request is not authenticated. */
  public enum Failure {
    /** No {@code Authorization: Bearer} credentials at all. */
    MISSING,
    /** Credentials present but not valid (unknown token, bad signature, expired, wrong audience...). */
    INVALID,
    /** A valid token without a scope the server requires. */
    INSUFFICIENT_SCOPE
  }

  public static AuthOutcome ok(Principal principal) {
    return new AuthOutcome(principal, null, null);
  }

  public static AuthOutcome fail(Failure failure, String detail) {
    return new AuthOutcome(null, failure, detail);
  }

  public boolean authenticated() {
    return principal != null;
  }
}
