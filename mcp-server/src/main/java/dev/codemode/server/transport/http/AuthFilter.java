package dev.codemode.server.transport.http;

import dev.codemode.server.audit.LogText;
import dev.codemode.server.auth.AuthOutcome;
import dev.codemode.server.auth.BearerAuthenticator;
import dev.codemode.server.auth.Challenge;
import dev.codemode.server.auth.Principal;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every request to {@code /mcp}: 401 with a {@code WWW-Authenticate: Bearer} challenge
 * (naming the protected-resource metadata in OAuth mode) when credentials are missing or invalid, 403
 * when a valid token lacks a required scope; otherwise the principal rides on the request.
 */
public final class AuthFilter implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);
  private final BearerAuthenticator authenticator;
  private final String metadataUrl;
  private final String requiredScopes;

  /**
   * @param metadataUrl the protected-resource metadata URL (OAuth mode), or null
   * @param requiredScopes the scopes named in an {@code insufficient_scope} challenge, or null
   */
  public AuthFilter(BearerAuthenticator authenticator, String metadataUrl, String requiredScopes) {
    this.authenticator = authenticator;
    this.metadataUrl = metadataUrl;
    this.requiredScopes = requiredScopes;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    AuthOutcome outcome = authenticator.authenticate(Collections.list(request.getHeaders("Authorization")));
    if (outcome.authenticated()) {
      request.setAttribute(Principal.CONTEXT_KEY, outcome.principal());
      chain.doFilter(req, res);
      return;
    }
    HttpServletResponse response = (HttpServletResponse) res;
    LOG.info("refused an unauthenticated {} {} from {}: {}", LogText.escape(request.getMethod()), LogText.escape(request.getRequestURI()),
        request.getRemoteAddr(), outcome.failure());
    response.setHeader("WWW-Authenticate", Challenge.header(outcome, metadataUrl, requiredScopes));
    switch (outcome.failure()) {
      case MISSING -> HttpErrors.refuse(request, response, 401, "authentication required: send Authorization: Bearer <token>");
      case INVALID -> HttpErrors.refuse(request, response, 401, "invalid credentials: " + outcome.detail());
      case INSUFFICIENT_SCOPE -> HttpErrors.refuse(request, response, 403, "insufficient scope: " + outcome.detail());
    }
  }
}
