package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.server.auth.TokenHash;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code /healthz}, {@code /readyz}, the walls metric and the SIGTERM drain of {@code bin/codemode serve
 * --http}, with the TypeScript SDK client holding a call in flight while the server drains.
 */
class HealthAndDrainIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "health-token-0123456789abcdef";

  @Test
  void probesAnswerWithoutAuthThenReadinessTurnsFalseFirstOnSigtermAndTheCallInFlightFinishes() throws Exception {
    Path dir = Files.createTempDirectory("codemode-health-it");
    Path config = dir.resolve("codemode.yaml");
    Files.writeString(config, """
        http:
          shutdown_grace_ms: 20000
        auth:
          tokens:
            - {principal: ops, sha256: '%s', profiles: [default]}
        """.formatted(TokenHash.configForm(TOKEN)));
    try (ServerProcess server = ServerProcess.start(config); TsClient client = TsClient.start()) {
      String base = server.base();
      HttpResponse<String> health = RawHttp.send("GET", base + "/healthz", Map.of(), null, false);
      assertEquals(200, health.statusCode());
      assertEquals("alive", JSON.readTree(health.body()).path("status").asText());

      JsonNode ready = awaitReady(base);
      assertEquals(Set.of("ready", "pool_warm", "draining", "killswitch", "isolation", "jail"), fields(ready));
      assertEquals("off", ready.path("killswitch").asText());
      assertEquals("process", ready.path("isolation").asText(), "isolation auto runs in worker processes: " + ready);
      assertTrue(server.log().contains("walls: GraalJS context UP; worker process UP; bubblewrap jail "), server.log());

      // Kubelet probes carry the pod's IP as Host and no token: still answered, and nothing else is.
      String raw = rawGet(URI.create(base).getPort(), "/readyz", "10.1.2.3:8080");
      assertTrue(raw.startsWith("HTTP/1.1 200"), raw);
      assertEquals(401, RawHttp.send("GET", base + "/metrics", Map.of(), null, false).statusCode());
      assertEquals(405, RawHttp.send("POST", base + "/readyz", Map.of(), "{}".getBytes(StandardCharsets.UTF_8), false)
          .statusCode());

      String metrics = RawHttp.send("GET", base + "/metrics", Map.of("Authorization", "Bearer " + TOKEN), null, false).body();
      assertTrue(metrics.contains("codemode_isolation{isolation=\"process\",jail=\"" + ready.path("jail").asText() + "\"} 1.0"),
          metrics);
      assertTrue(metrics.contains("codemode_ready 1.0"), metrics);

      client.connectHttp("ops", server.url(), Map.of("Authorization", "Bearer " + TOKEN));
      CompletableFuture<JsonNode> slow = client.executeAs("ops",
          "const end = Date.now() + 4000; while (Date.now() < end) {} return 'finished'", Map.of());
      Thread.sleep(1500);
      server.signalTerm();
      JsonNode draining = null;
      for (int i = 0; i < 100 && draining == null; i++) {
        HttpResponse<String> r = RawHttp.send("GET", base + "/readyz", Map.of(), null, false);
        if (r.statusCode() == 503) {
          draining = JSON.readTree(r.body());
        } else {
          Thread.sleep(20);
        }
      }
      assertTrue(draining != null && draining.path("draining").asBoolean() && !draining.path("ready").asBoolean(),
          "after SIGTERM /readyz answers 503 draining while a call is in flight: " + draining);
      assertEquals(200, RawHttp.send("GET", base + "/healthz", Map.of(), null, false).statusCode(), "alive while draining");
      HttpResponse<String> refused = RawHttp.postJson(server.url(), Map.of("Authorization", "Bearer " + TOKEN),
          RawHttp.initialize());
      assertEquals(503, refused.statusCode(), "a new request while draining is refused");
      assertTrue(refused.headers().firstValue("Retry-After").isPresent());

      JsonNode answer = TsClient.value(slow.get(60, TimeUnit.SECONDS));
      assertFalse(answer.path("isError").asBoolean(), answer.toString());
      assertEquals("finished", answer.at("/structuredContent/result").asText(), "the call in flight finished during the drain");
      int code = server.awaitExit(60);
      assertTrue(code == 143 || code == 0, "the server exits after the drain (exit " + code + "): " + server.log());
      String log = server.log();
      int notReady = log.indexOf("not ready; refusing new requests");
      assertTrue(notReady >= 0 && notReady < log.lastIndexOf("shut down"), log);
    }
  }

  @Test
  void theImagesCommandLineServesStdioWhenNoAuthIsConfigured() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path stderr = Files.createTempFile("codemode-http-if-auth", ".log");
    try (TsClient client = TsClient.start()) {
      client.connectStdio(Map.of(), stderr, "--http-if-auth", "0.0.0.0:" + port);
      JsonNode r = client.execute("return 6*7");
      assertEquals(42, r.at("/structuredContent/result").asInt(), r.toString());
      assertTrue(Files.readString(stderr).contains("no auth configured: serving MCP over stdio, not HTTP on 0.0.0.0:" + port),
          Files.readString(stderr));
      assertThrows(java.io.IOException.class, () -> new Socket("127.0.0.1", port).close(), "nothing listens on the port");
    }
  }

  private static JsonNode awaitReady(String base) throws Exception {
    HttpResponse<String> r = null;
    for (int i = 0; i < 600; i++) {
      r = RawHttp.send("GET", base + "/readyz", Map.of(), null, false);
      if (r.statusCode() == 200) {
        JsonNode body = JSON.readTree(r.body());
        assertTrue(body.path("ready").asBoolean() && body.path("pool_warm").asBoolean(), body.toString());
        return body;
      }
      assertEquals(503, r.statusCode(), r.body());
      Thread.sleep(100);
    }
    throw new AssertionError("never ready: " + (r == null ? null : r.body()));
  }

  private static Set<String> fields(JsonNode n) {
    Set<String> names = new TreeSet<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String rawGet(int port, String path, String host) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}
