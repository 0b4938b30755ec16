package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Admission over HTTP with the executor at 2 and the queue at 4: the overflow of a burst is refused at
 * once with "busy, retry after N s", nothing hangs; the per-principal rate limit; the no-auth exposure
 * rule; stateless mode; and the graceful shutdown that lets an in-flight call finish.
 */
class HttpAdmissionIT {
  private static final String SLOW = "const t = Date.now(); while (Date.now() - t < 2500) {} return 'slow'";
  private static final Pattern RETRY = Pattern.compile("retry after (\\d+) s");

  private static Path config(String yaml) throws Exception {
    Path dir = Files.createTempDirectory("codemode-admission-it");
    Path file = dir.resolve("codemode.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void aBurstOfFortySlowCallsGetsFastBusyAnswersForTheOverflow() throws Exception {
    Path cfg = config("""
        runtime: {max_concurrent_runs: 2, queue_capacity: 4}
        http: {rate_limit: {per_minute: 0}}
        """);
    try (ServerProcess server = ServerProcess.start(cfg); TsClient client = TsClient.start()) {
      List<String> names = new ArrayList<>();
      for (int c = 0; c < 10; c++) {
        names.add("c" + c);
        client.connectHttp("c" + c, server.url(), Map.of());
      }
      List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < 4; i++) {
        for (String name : names) {
          calls.add(client.executeAs(name, SLOW, Map.of()));
        }
      }
      int ok = 0;
      int busy = 0;
      double slowestBusyMs = 0;
      double fastestOkMs = Double.MAX_VALUE;
      for (CompletableFuture<JsonNode> f : calls) {
        JsonNode answer = f.get(60, TimeUnit.SECONDS);
        JsonNode r = TsClient.value(answer);
        String text = r.at("/content/0/text").asText();
        if (!r.path("isError").asBoolean()) {
          assertEquals("slow", r.at("/structuredContent/result").asText());
          fastestOkMs = Math.min(fastestOkMs, answer.get("ms").asDouble());
          ok++;
        } else {
          assertTrue(text.contains("busy"), text);
          Matcher m = RETRY.matcher(text);
          assertTrue(m.find(), "names when to retry: " + text);
          assertTrue(Integer.parseInt(m.group(1)) >= 1);
          slowestBusyMs = Math.max(slowestBusyMs, answer.get("ms").asDouble());
          busy++;
        }
      }
      long totalMs = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(40, ok + busy);
      assertTrue(ok >= 4 && ok <= 6, "about executor + queue calls run: " + ok);
      assertTrue(busy >= 34, "the overflow is refused: " + busy);
      assertTrue(totalMs < 30_000, "nothing hangs: " + totalMs + " ms");
      assertTrue(slowestBusyMs < 5_000 && slowestBusyMs < fastestOkMs,
          "busy answers come at once, before any slow call ends: slowest busy " + slowestBusyMs + " ms, fastest run "
          + fastestOkMs + " ms");
      JsonNode after = TsClient.value(client.executeAs("c0", "return 1+1", Map.of()).get(30, TimeUnit.SECONDS));
      assertEquals(2, after.at("/structuredContent/result").asInt(), "the server serves again once the burst is over");
    }
  }

  @Test
  void thePerPrincipalRateLimitAnswersWithARetryTime() throws Exception {
    Path cfg = config("http: {rate_limit: {per_minute: 6, burst: 3}}\n");
    try (ServerProcess server = ServerProcess.start(cfg); TsClient client = TsClient.start()) {
      client.connectHttp("a", server.url(), Map.of());
      for (int i = 0; i < 3; i++) {
        JsonNode r = TsClient.value(client.executeAs("a", "return " + i, Map.of()).get(30, TimeUnit.SECONDS));
        assertFalse(r.path("isError").asBoolean(), r.toString());
      }
      JsonNode limited = TsClient.value(client.executeAs("a", "return 4", Map.of()).get(30, TimeUnit.SECONDS));
      assertTrue(limited.path("isError").asBoolean());
      String text = limited.at("/content/0/text").asText();
      assertTrue(text.contains("rate limited") && RETRY.matcher(text).find(), text);
    }
  }

  @Test
  void withoutAuthOnlyLoopbackIsServed() throws Exception {
    String[] refused = ServerProcess.startExpectingFailure("0.0.0.0:0", null);
    assertEquals("2", refused[0], refused[1]);
    assertTrue(refused[1].contains("without auth") && refused[1].contains("loopback"), refused[1]);
    try (ServerProcess server = ServerProcess.start(null)) {
      assertTrue(server.log().contains("no auth configured: serving on loopback only"), server.log());
    }
  }

  @Test
  void statelessModeServesCallsWithoutSessions() throws Exception {
    Path cfg = config("http: {stateless: true}\n");
    try (ServerProcess server = ServerProcess.start(cfg); TsClient client = TsClient.start()) {
      JsonNode connected = client.connectHttp("s", server.url(), Map.of());
      assertTrue(connected.path("sessionId").isNull(), connected.toString());
      JsonNode r = TsClient.value(client.executeAs("s", "return 6*7", Map.of()).get(30, TimeUnit.SECONDS));
      assertEquals(42, r.at("/structuredContent/result").asInt(), r.toString());
      HttpResponse<String> init = RawHttp.postJson(server.url(), Map.of(), RawHttp.initialize());
      assertEquals(200, init.statusCode());
      assertTrue(init.headers().firstValue("Mcp-Session-Id").isEmpty());
    }
  }

  @Test
  void shutdownLetsTheInFlightCallFinishAndRefusesNewOnes() throws Exception {
    Path cfg = config("http: {shutdown_grace_ms: 20000}\n");
    ServerProcess server = ServerProcess.start(cfg);
    try (TsClient client = TsClient.start()) {
      client.connectHttp("g", server.url(), Map.of());
      CompletableFuture<JsonNode> inFlight = client.executeAs("g", SLOW, Map.of());
      Thread.sleep(800);
      long t0 = System.nanoTime();
      int[] exit = {Integer.MIN_VALUE};
      Thread stopper = new Thread(() -> {
        try {
          exit[0] = server.terminate(60);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      stopper.start();
      JsonNode r = TsClient.value(inFlight.get(30, TimeUnit.SECONDS));
      assertEquals("slow", r.at("/structuredContent/result").asText(), "the in-flight call completes: " + r);
      stopper.join(60_000);
      assertFalse(server.isAlive());
      assertTrue((System.nanoTime() - t0) / 1_000_000 < 20_000, "it did not wait for the whole grace period");
      String log = server.log();
      assertTrue(log.contains("shutting down") && log.indexOf("shutting down") < log.indexOf("shut down"),
          "exit " + exit[0] + ": " + log);
    } finally {
      server.close();
    }
  }
}
