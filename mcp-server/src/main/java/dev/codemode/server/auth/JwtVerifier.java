package dev.codemode.server.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.codemode.policies.AuthSettings.OAuthSettings;
import java.io.File;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * OAuth 2.1 resource-server check of JWT access tokens: signature against the issuer's JWKS (asymmetric
 * algorithms only), {@code iss} exact, {@code aud} one of the accepted values, {@code exp} required and
 * not past, the required scopes present. Fails closed: anything unexpected is "invalid".
 */
public final class JwtVerifier {
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
  private final OAuthSettings settings;
  private final DefaultJWTProcessor<SecurityContext> processor;

  public JwtVerifier(OAuthSettings settings) {
    this.settings = settings;
    this.processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys(settings)));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(new HashSet<>(settings.audiences()),
        new JWTClaimsSet.Builder().issuer(settings.issuer()).build(), Set.of("exp", settings.principalClaim()), Set.of());
    claims.setMaxClockSkew((int) settings.clockSkewSeconds());
    processor.setJWTClaimsSetVerifier(claims);
  }

  private static JWKSource<SecurityContext> keys(OAuthSettings s) {
    try {
      if (s.jwksFile() != null) {
        return new ImmutableJWKSet<>(JWKSet.load(new File(s.jwksFile())));
      }
      return JWKSourceBuilder.<SecurityContext>create(URI.create(s.jwksUrl()).toURL()).retrying(true).build();
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot load the JWKS for auth.oauth (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** Checks {@code token}; never throws. */
  public AuthOutcome verify(String token) {
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (Exception e) {
      return AuthOutcome.fail(AuthOutcome.Failure.INVALID, "the access token is not valid for this resource");
    }
    Object subject = claims.getClaim(settings.principalClaim());
    if (!(subject instanceof String name) || name.isBlank() || name.length() > 256) {
      return AuthOutcome.fail(AuthOutcome.Failure.INVALID, "the access token names no principal");
    }
    Set<String> scopes = scopes(claims);
    for (String required : settings.requiredScopes()) {
      if (!scopes.contains(required)) {
        return AuthOutcome.fail(AuthOutcome.Failure.INSUFFICIENT_SCOPE, "the access token lacks a required scope");
      }
    }
    Set<String> profiles = new LinkedHashSet<>(settings.profiles());
    settings.scopeProfiles().forEach((scope, granted) -> {
      if (scopes.contains(scope)) {
        profiles.addAll(granted);
      }
    });
    return AuthOutcome.ok(new Principal("oauth:" + name, profiles, "oauth"));
  }

  /** The token's scopes: the space-separated {@code scope} string (RFC 9068), or an {@code scp} list. */
  static Set<String> scopes(JWTClaimsSet claims) {
    Set<String> out = new HashSet<>();
    Object scope = claims.getClaim("scope");
    if (scope instanceof String s) {
      for (String part : s.split(" ")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
    }
    Object scp = claims.getClaim("scp");
    if (scp instanceof List<?> list) {
      for (Object o : new ArrayList<>(list)) {
        if (o instanceof String s) {
          out.add(s);
        }
      }
    }
    return out;
  }
}
