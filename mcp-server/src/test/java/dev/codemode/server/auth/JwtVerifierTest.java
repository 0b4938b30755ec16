package dev.codemode.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.AuthSettings.OAuthSettings;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtVerifierTest {
  @TempDir Path dir;
  private JwtFixture jwt;
  private JwtVerifier verifier;

  @BeforeEach
  void setUp() throws Exception {
    jwt = new JwtFixture(dir);
    verifier = new JwtVerifier(new OAuthSettings(JwtFixture.RESOURCE, JwtFixture.ISSUER, List.of(JwtFixture.RESOURCE), null,
        jwt.jwksFile().toString(), List.of(JwtFixture.ISSUER), List.of("mcp"), List.of("default"),
        Map.of("mcp:research", List.of("research")), "sub", 0));
  }

  @Test
  void aValidTokenNamesItsPrincipalAndProfiles() throws Exception {
    AuthOutcome ok = verifier.verify(jwt.token("alice", "mcp"));
    assertTrue(ok.authenticated());
    assertEquals("oauth:alice", ok.principal().name());
    assertTrue(ok.principal().mayUse("default"));
    assertFalse(ok.principal().mayUse("research"));
    AuthOutcome research = verifier.verify(jwt.token("bob", "mcp mcp:research"));
    assertTrue(research.principal().mayUse("research"));
  }

  @Test
  void badTokensAreInvalid() throws Exception {
    List<String> bad = List.of(
        jwt.token("a", "mcp", b -> b.issuer("https://other.test")),
        jwt.token("a", "mcp", b -> b.audience("https://elsewhere.test/mcp")),
        jwt.token("a", "mcp", b -> b.expirationTime(new Date(System.currentTimeMillis() - 60_000))),
        jwt.token("a", "mcp", b -> b.expirationTime(null)),
        jwt.token("a", "mcp", b -> b.subject(null)),
        jwt.token("a", "mcp", b -> b.notBeforeTime(new Date(System.currentTimeMillis() + 600_000))),
        jwt.hmacToken("a"),
        jwt.plainToken("a"),
        jwt.token("a", "mcp").substring(0, 40) + "x" + jwt.token("a", "mcp").substring(41),
        "not.a.jwt");
    for (String token : bad) {
      AuthOutcome o = verifier.verify(token);
      assertFalse(o.authenticated(), token);
      assertEquals(AuthOutcome.Failure.INVALID, o.failure(), token);
    }
    String other = new JwtFixture(java.nio.file.Files.createDirectories(dir.resolve("other"))).token("a", "mcp");
    assertEquals(AuthOutcome.Failure.INVALID, verifier.verify(other).failure(), "signed by another key");
  }

  @Test
  void theJwksCanComeFromAUrl() throws Exception {
    com.sun.net.httpserver.HttpServer jwks = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    byte[] body = java.nio.file.Files.readAllBytes(jwt.jwksFile());
    jwks.createContext("/jwks.json", ex -> {
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    jwks.start();
    try {
      String url = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json";
      JwtVerifier byUrl = new JwtVerifier(new OAuthSettings(JwtFixture.RESOURCE, JwtFixture.ISSUER, List.of(JwtFixture.RESOURCE),
          url, null, List.of(JwtFixture.ISSUER), List.of(), List.of("default"), Map.of(), "sub", 0));
      assertEquals("oauth:carol", byUrl.verify(jwt.token("carol", "")).principal().name());
      assertEquals(AuthOutcome.Failure.INVALID, byUrl.verify(jwt.hmacToken("carol")).failure());
    } finally {
      jwks.stop(0);
    }
  }

  @Test
  void aMissingRequiredScopeIsInsufficientScope() throws Exception {
    AuthOutcome o = verifier.verify(jwt.token("alice", "other"));
    assertEquals(AuthOutcome.Failure.INSUFFICIENT_SCOPE, o.failure());
    String challenge = Challenge.header(o, "http://127.0.0.1/.well-known/oauth-protected-resource/mcp", "mcp");
    assertTrue(challenge.contains("error=\"insufficient_scope\"") && challenge.contains("scope=\"mcp\"")
        && challenge.contains("resource_metadata=\"http://127.0.0.1/.well-known/oauth-protected-resource/mcp\""), challenge);
  }
}
