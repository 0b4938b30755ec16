package dev.codemode.server.auth;

import dev.codemode.policies.AuthSettings;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides who a request is from its {@code Authorization} headers: static tokens first, then (in OAuth
 * mode) JWT access tokens. With no auth configured everyone is the local principal (the server then
 * listens on loopback only).
 */
public final class BearerAuthenticator {
  private static final Pattern BEARER = Pattern.compile("(?i:bearer) +([A-Za-z0-9\\-._~+/]+=*)");
  private static final int MAX_TOKEN_CHARS = 8192;
  private final boolean enabled;
  private final StaticTokens tokens;
  private final JwtVerifier jwt;

  public BearerAuthenticator(AuthSettings settings) {
    this(settings, settings.oauth() == null ? null : new JwtVerifier(settings.oauth()));
  }

  BearerAuthenticator(AuthSettings settings, JwtVerifier jwt) {
    this.enabled = settings.enabled();
    this.tokens = new StaticTokens(settings.tokens());
    this.jwt = jwt;
  }

  /** Whether credentials are required at all. */
  public boolean enabled() {
    return enabled;
  }

  /** Authenticates the values of the request's {@code Authorization} headers (possibly none). */
  public AuthOutcome authenticate(List<String> authorizationHeaders) {
    if (!enabled) {
      return AuthOutcome.ok(Principal.local());
    }
    if (authorizationHeaders.isEmpty()) {
      return AuthOutcome.fail(AuthOutcome.Failure.MISSING, "send Authorization: Bearer <token>");
    }
    if (authorizationHeaders.size() > 1) {
      return AuthOutcome.fail(AuthOutcome.Failure.INVALID, "send exactly one Authorization header");
    }
    String header = authorizationHeaders.get(0);
    var m = header.length() > MAX_TOKEN_CHARS + 16 ? null : BEARER.matcher(header);
    if (m == null || !m.matches()) {
      return AuthOutcome.fail(AuthOutcome.Failure.INVALID, "use the Bearer scheme");
    }
    String token = m.group(1);
    Optional<Principal> byToken = tokens.authenticate(token);
    if (byToken.isPresent()) {
      return AuthOutcome.ok(byToken.get());
    }
    if (jwt != null && token.chars().filter(c -> c == '.').count() == 2) {
      return jwt.verify(token);
    }
    return AuthOutcome.fail(AuthOutcome.Failure.INVALID, "unknown or invalid token");
  }
}
