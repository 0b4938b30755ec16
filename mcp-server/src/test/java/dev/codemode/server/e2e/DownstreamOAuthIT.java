package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.codemode.server.auth.JwtFixture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A downstream MCP server over Streamable HTTP that demands OAuth access tokens (a second codemode in
 * resource-server mode, validating JWTs), reached by a codemode whose server entry takes its bearer token
 * from an {@code oauth_client_credentials} source at a local token endpoint: fetched once, reused, and
 * fetched again when it nears expiry, without a restart.
 */
class DownstreamOAuthIT {
  private static final long LIFETIME_S = 15;
  private static final List<String> issued = new CopyOnWriteArrayList<>();
  private static JwtFixture jwt;
  private static ServerProcess downstream;
  private static HttpServer tokenEndpoint;
  private static TsClient client;
  private static Path stderr;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("codemode-downstream-oauth-it").toRealPath();
    jwt = new JwtFixture(dir);
    downstream = ServerProcess.start(Files.writeString(dir.resolve("downstream.yaml"), """
        auth:
          oauth: {resource: '%s', issuer: '%s', jwks_file: '%s', required_scopes: [mcp]}
        """.formatted(JwtFixture.RESOURCE, JwtFixture.ISSUER, jwt.jwksFile())));
    String expected = "Basic " + Base64.getEncoder().encodeToString("codemode-a:client-secret-a".getBytes(StandardCharsets.UTF_8));
    tokenEndpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    tokenEndpoint.createContext("/token", exchange -> {
      boolean ok = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
      String body;
      try {
        String token = jwt.token("codemode-a", "mcp",
            b -> b.expirationTime(new java.util.Date(System.currentTimeMillis() + LIFETIME_S * 1000)));
        if (ok) {
          issued.add(token);
        }
        body = ok ? "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + LIFETIME_S + "}"
            : "{\"error\":\"invalid_client\"}";
      } catch (Exception e) {
        throw new java.io.IOException(e);
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(ok ? 200 : 401, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    tokenEndpoint.start();
    Path secret = Files.writeString(dir.resolve("client-secret"), "client-secret-a\n");
    Path config = Files.writeString(dir.resolve("codemode.yaml"), """
        credentials:
          idp:
            oauth_client_credentials: {token_url: 'http://127.0.0.1:%d/token', client_id: codemode-a,
                                       client_secret: '${file:%s}', scope: mcp, audience: '%s'}
        profiles:
          default:
            tools: {allow: ['down.*']}
        servers:
          down: {url: '%s', headers: {Authorization: 'Bearer ${credential:idp}'}}
        """.formatted(tokenEndpoint.getAddress().getPort(), secret, JwtFixture.RESOURCE, downstream.url()));
    stderr = dir.resolve("server.err");
    client = TsClient.start();
    client.connectStdio(Map.of(), stderr, "--config", config.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    downstream.close();
    tokenEndpoint.stop(0);
    String log = Files.readString(stderr);
    issued.forEach(token -> assertFalse(log.contains(token), "a token reached the server's log"));
  }

  private static JsonNode callDownstream() throws Exception {
    JsonNode answer = client.execute("return await servers.down.executeCode({code: 'return 6 * 7'})");
    issued.forEach(token -> assertFalse(answer.toString().contains(token), "a token reached the answer"));
    JsonNode s = answer.get("structuredContent");
    assertEquals("ok", s.get("status").asText(), answer.toString());
    return s.get("result");
  }

  @Test
  void theBearerTokenComesFromClientCredentialsAndIsRefreshedOnExpiry() throws Exception {
    assertEquals(42, callDownstream().path("result").asInt());
    int afterFirst = issued.size();
    assertTrue(afterFirst >= 1, "the token endpoint was asked");
    assertEquals(42, callDownstream().path("result").asInt());
    assertEquals(afterFirst, issued.size(), "the second call reuses the cached token");
    Thread.sleep(LIFETIME_S * 1000);
    assertEquals(42, callDownstream().path("result").asInt(), "the downstream accepts the refreshed token");
    assertEquals(afterFirst + 1, issued.size(), "a new token after expiry");
    assertTrue(downstream.isAlive());
  }
}
