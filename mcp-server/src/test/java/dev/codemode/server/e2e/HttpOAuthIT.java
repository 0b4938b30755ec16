package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.server.auth.JwtFixture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OAuth 2.1 resource-server mode: JWT access tokens against a JWKS file, the protected-resource metadata, scopes. */
class HttpOAuthIT {
  private static JwtFixture jwt;
  private static ServerProcess server;
  private static TsClient client;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("codemode-oauth-it");
    jwt = new JwtFixture(dir);
    Path config = dir.resolve("codemode.yaml");
    Files.writeString(config, """
        profiles:
          research: {proc: {wall_ms: 20000}}
        auth:
          oauth:
            resource: '%s'
            issuer: '%s'
            jwks_file: '%s'
            required_scopes: [mcp]
            scope_profiles: {'mcp:research': [research]}
        """.formatted(JwtFixture.RESOURCE, JwtFixture.ISSUER, jwt.jwksFile()));
    server = ServerProcess.start(config);
    client = TsClient.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void unauthenticatedRequestsLearnWhereTheMetadataIs() throws Exception {
    HttpResponse<String> r = RawHttp.postJson(server.url(), Map.of(), RawHttp.initialize());
    assertEquals(401, r.statusCode());
    String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
    assertTrue(challenge.startsWith("Bearer ") && challenge.contains(
        "resource_metadata=\"http://127.0.0.1/.well-known/oauth-protected-resource/mcp\""), challenge);
    for (String path : new String[] {"/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"}) {
      HttpResponse<String> meta = RawHttp.send("GET", server.base() + path, Map.of(), null, false);
      assertEquals(200, meta.statusCode(), path);
      JsonNode doc = new ObjectMapper().readTree(meta.body());
      assertEquals(JwtFixture.RESOURCE, doc.get("resource").asText());
      assertEquals(JwtFixture.ISSUER, doc.at("/authorization_servers/0").asText());
      assertEquals("header", doc.at("/bearer_methods_supported/0").asText());
    }
  }

  @Test
  void aValidAccessTokenWorksAndScopesGrantProfiles() throws Exception {
    client.connectHttp("plain", server.url(), Map.of("Authorization", "Bearer " + jwt.token("alice", "mcp")));
    JsonNode ok = TsClient.value(client.executeAs("plain", "return 'hi'", Map.of()).get(60, TimeUnit.SECONDS));
    assertEquals("hi", ok.at("/structuredContent/result").asText(), ok.toString());
    JsonNode denied = TsClient.value(client.executeAs("plain", "return 1", Map.of("profile", "research")).get(60, TimeUnit.SECONDS));
    assertTrue(denied.path("isError").asBoolean());
    assertTrue(denied.at("/content/0/text").asText().contains("may not use profile 'research'"), denied.toString());
    client.closeClient("plain");

    client.connectHttp("research", server.url(), Map.of("Authorization", "Bearer " + jwt.token("bob", "mcp mcp:research")));
    JsonNode research = TsClient.value(client.executeAs("research", "return 2", Map.of("profile", "research")).get(60, TimeUnit.SECONDS));
    assertFalse(research.path("isError").asBoolean(), research.toString());
    client.closeClient("research");
  }

  @Test
  void wrongAudienceExpiredOrMissingScopeAreRefused() throws Exception {
    String wrongAudience = jwt.token("a", "mcp", b -> b.audience("https://other.example/mcp"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> client.connectHttp("bad", server.url(), Map.of("Authorization", "Bearer " + wrongAudience)));
    assertTrue(e.getMessage().contains("401"), e.getMessage());
    HttpResponse<String> expired = RawHttp.postJson(server.url(), Map.of("Authorization", "Bearer "
        + jwt.token("a", "mcp", b -> b.expirationTime(new java.util.Date(System.currentTimeMillis() - 120_000)))), RawHttp.initialize());
    assertEquals(401, expired.statusCode());
    assertTrue(expired.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));
    HttpResponse<String> noScope = RawHttp.postJson(server.url(), Map.of("Authorization", "Bearer " + jwt.token("a", "read")),
        RawHttp.initialize());
    assertEquals(403, noScope.statusCode());
    assertTrue(noScope.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"insufficient_scope\""));
    HttpResponse<String> hmac = RawHttp.postJson(server.url(), Map.of("Authorization", "Bearer " + jwt.hmacToken("a")),
        RawHttp.initialize());
    assertEquals(401, hmac.statusCode());
  }
}
