package dev.codemode.policies;

import java.util.List;
import java.util.Map;

/**
 * Who may call the HTTP server (the top-level {@code auth:} key): static bearer tokens, stored only as
 * SHA-256 hashes, and/or OAuth 2.1 JWT access tokens checked against a JWKS.
 *
 * @param tokens static bearer tokens, each mapped to a principal and the profiles it may use
 * @param oauth the OAuth resource-server settings, or null when OAuth is off
 */
public record AuthSettings(List<TokenGrant> tokens, OAuthSettings oauth) {
  /** Profile list entry that grants every configured profile. */
  public static final String ALL_PROFILES = "*";

  public AuthSettings {
    tokens = List.copyOf(tokens);
  }

  /** No authentication configured. */
  public static AuthSettings none() {
    return new AuthSettings(List.of(), null);
  }

  /** Whether any authentication is configured. */
  public boolean enabled() {
    return !tokens.isEmpty() || oauth != null;
  }

  /**
   * One static bearer token.
   *
   * @param principal the name the token authenticates as
   * @param sha256 the 32-byte SHA-256 of the token's UTF-8 bytes (the token itself is never stored)
   * @param profiles the profiles this principal may run under ({@code *} = all)
   */
  public record TokenGrant(String principal, byte[] sha256, List<String> profiles) {
    public TokenGrant {
      sha256 = sha256.clone();
      profiles = List.copyOf(profiles);
    }

    @Override
    public byte[] sha256() {
      return sha256.clone();
    }
  }

  /**
   * OAuth 2.1 resource-server mode: JWT access tokens.
   *
   * @param resource this server's canonical resource URL (published in the protected-resource metadata)
   * @param issuer the required {@code iss}
   * @param audiences accepted {@code aud} values (default: the resource)
   * @param jwksUrl where the issuer's JWKS lives, or null
   * @param jwksFile a local JWKS file (absolute), or null; exactly one of the two is set
   * @param authorizationServers published in the metadata (default: the issuer)
   * @param requiredScopes scopes every token must carry
   * @param profiles profiles every valid token may use
   * @param scopeProfiles extra profiles granted by a scope
   * @param principalClaim the claim naming the principal (default {@code sub})
   * @param clockSkewSeconds tolerated clock difference for {@code exp}/{@code nbf}
   */
  public record OAuthSettings(
      String resource,
      String issuer,
      List<String> audiences,
      String jwksUrl,
      String jwksFile,
      List<String> authorizationServers,
      List<String> requiredScopes,
      List<String> profiles,
      Map<String, List<String>> scopeProfiles,
      String principalClaim,
      long clockSkewSeconds) {
    public OAuthSettings {
      audiences = List.copyOf(audiences);
      authorizationServers = List.copyOf(authorizationServers);
      requiredScopes = List.copyOf(requiredScopes);
      profiles = List.copyOf(profiles);
      scopeProfiles = Map.copyOf(scopeProfiles);
    }
  }
}
