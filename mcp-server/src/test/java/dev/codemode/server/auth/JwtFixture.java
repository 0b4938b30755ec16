package dev.codemode.server.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.function.Consumer;

/** An RSA signing key, its public JWKS file, and JWT access tokens signed with it (test helper). */
public final class JwtFixture {
  public static final String ISSUER = "https://issuer.test";
  public static final String RESOURCE = "http://127.0.0.1/mcp";
  private final RSAKey key;
  private final Path jwksFile;

  public JwtFixture(Path dir) throws Exception {
    this.key = new RSAKeyGenerator(2048).keyID("k1").generate();
    this.jwksFile = dir.resolve("jwks.json");
    Files.writeString(jwksFile, new JWKSet(key.toPublicJWK()).toString());
  }

  public Path jwksFile() {
    return jwksFile;
  }

  /** A valid token for {@code sub} with {@code scope}, changed by {@code edit}. */
  public String token(String sub, String scope, Consumer<JWTClaimsSet.Builder> edit) throws Exception {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(ISSUER).audience(RESOURCE).subject(sub)
        .expirationTime(new Date(System.currentTimeMillis() + 600_000)).issueTime(new Date()).claim("scope", scope);
    edit.accept(b);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(JOSEObjectType.JWT).build(), b.build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  public String token(String sub, String scope) throws Exception {
    return token(sub, scope, b -> { });
  }

  /** The same claims signed with HMAC (a shared secret the server never accepts). */
  public String hmacToken(String sub) throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(RESOURCE).subject(sub)
        .expirationTime(new Date(System.currentTimeMillis() + 600_000)).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims);
    jwt.sign(new MACSigner(new byte[32]));
    return jwt.serialize();
  }

  /** An unsigned token. */
  public String plainToken(String sub) {
    return new PlainJWT(new JWTClaimsSet.Builder().issuer(ISSUER).audience(RESOURCE).subject(sub)
        .expirationTime(new Date(System.currentTimeMillis() + 600_000)).build()).serialize();
  }
}
