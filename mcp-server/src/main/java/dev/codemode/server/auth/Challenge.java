package dev.codemode.server.auth;

/** Builds {@code WWW-Authenticate: Bearer ...} challenges (RFC 6750, RFC 9728 {@code resource_metadata}). */
public final class Challenge {
  private Challenge() {}

  /**
   * The challenge for a failed outcome.
   *
   * @param metadataUrl the protected-resource metadata URL in OAuth mode, or null
   * @param scope the required scopes for an {@code insufficient_scope} answer, or null
   */
  public static String header(AuthOutcome outcome, String metadataUrl, String scope) {
    StringBuilder sb = new StringBuilder("Bearer realm=\"codemode\"");
    if (metadataUrl != null) {
      sb.append(", resource_metadata=\"").append(metadataUrl).append('"');
    }
    switch (outcome.failure()) {
      case MISSING -> { }
      case INVALID -> sb.append(", error=\"invalid_token\", error_description=\"").append(outcome.detail()).append('"');
      case INSUFFICIENT_SCOPE -> {
        sb.append(", error=\"insufficient_scope\"");
        if (scope != null && !scope.isEmpty()) {
          sb.append(", scope=\"").append(scope).append('"');
        }
      }
    }
    return sb.toString();
  }
}
