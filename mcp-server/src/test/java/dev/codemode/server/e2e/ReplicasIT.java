package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.server.admin.AdminClient;
import dev.codemode.server.auth.TokenHash;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three codemode replicas in HTTP mode on loopback sharing one real redis-server ({@code state: {backend: redis}})
 * and one S3-compatible server ({@code store: {backend: s3}}), driven through the TypeScript SDK client: the
 * killswitch, cancel from another replica, the global rate limit, artifacts read on another replica, and Redis
 * going down and coming back mid-test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {
  private static final String ADMIN_TOKEN = "replicas-admin-" + UUID.randomUUID();
  private static final List<String> PRINCIPALS = List.of("kate", "carl", "rita", "alice", "bob", "dave", "erin");
  private static final int PER_MINUTE = 10;
  private static final int BURST = 10;
  private static RedisServer redis;
  private static S3Server s3;
  private static final List<ServerProcess> replicas = new ArrayList<>();
  private static final List<Integer> adminPorts = new ArrayList<>();
  private static TsClient client;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    s3 = S3Server.start("codemode-replicas");
    Path dir = Files.createTempDirectory("codemode-replicas-it");
    StringBuilder tokens = new StringBuilder();
    for (String p : PRINCIPALS) {
      tokens.append("    - {principal: ").append(p).append(", sha256: '").append(TokenHash.configForm(token(p)))
          .append("', profiles: [default]}\n");
    }
    for (int i = 0; i < 3; i++) {
      int adminPort = freePort();
      adminPorts.add(adminPort);
      Path config = Files.writeString(dir.resolve("replica-" + i + ".yaml"), """
          profiles:
            default:
              proc: {wall_ms: 30000, cpu_ms: 30000}
          http:
            rate_limit: {per_minute: %d, burst: %d}
          auth:
            tokens:
          %s
          admin: {enabled: true, listen: '127.0.0.1:%d', token: '${env:CODEMODE_ADMIN_TOKEN}'}
          artifacts: {dir: artifacts-%d}
          quarantine: {dir: quarantine-%d}
          state: {backend: redis, url: '${env:CODEMODE_REDIS_URL}', poll_ms: 200, timeout_ms: 300, key_prefix: replicas-it}
          store:
            backend: s3
            s3: {endpoint: '%s', bucket: codemode-replicas, prefix: it/, path_style: true}
          """.formatted(PER_MINUTE, BURST, tokens.toString().stripTrailing(), adminPort, i, i, s3.endpoint()));
      replicas.add(ServerProcess.start(config, Map.of("CODEMODE_ADMIN_TOKEN", ADMIN_TOKEN, "CODEMODE_REDIS_URL", redis.url(),
          "AWS_ACCESS_KEY_ID", s3.keyId, "AWS_SECRET_ACCESS_KEY", s3.secretKey, "AWS_REGION", "us-east-1")));
    }
    client = TsClient.start();
    for (String p : PRINCIPALS) {
      for (int i = 0; i < 3; i++) {
        client.connectHttp(p + "@" + "ABC".charAt(i), replicas.get(i).url(), Map.of("Authorization", "Bearer " + token(p)));
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    for (ServerProcess r : replicas) {
      r.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static String token(String principal) {
    return "replicas-token-" + principal + "-0123456789abcdef";
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static AdminClient admin(int replica) {
    return new AdminClient("127.0.0.1", adminPorts.get(replica), ADMIN_TOKEN);
  }

  private static JsonNode run(String principal, char replica, String code) throws Exception {
    return TsClient.value(client.executeAs(principal + "@" + replica, code, Map.of()).get(60, TimeUnit.SECONDS));
  }

  private static boolean refusedByKillswitch(JsonNode r) {
    return r.path("isError").asBoolean() && r.at("/content/0/text").asText().contains("killswitch is on");
  }

  @Test
  @Order(0)
  void aSessionItsClientEndsCancelsItsRunsAndLeavesNoPiiTokensInTheSharedState() throws Exception {
    JsonNode connected = client.connectHttp("erin-ends@A", replicas.get(0).url(), Map.of("Authorization", "Bearer " + token("erin")));
    String session = connected.path("sessionId").asText();
    assertFalse(session.isEmpty(), connected.toString());
    JsonNode r = TsClient.value(client.executeAs("erin-ends@A", "return {contact: 'grace.hopper@example.com'}", Map.of())
        .get(60, TimeUnit.SECONDS));
    assertTrue(r.at("/structuredContent/result/contact").asText().matches("\\[EMAIL_[a-z2-7]{12}]"), r.toString());
    String pattern = "replicas-it:pii:erin/" + session + ":*";
    assertEquals(2, redis.keys(pattern).size(), "the session's tokens and values are shared: " + redis.keys("*"));
    CompletableFuture<JsonNode> orphan = client.executeAs("erin-ends@A", "while (true) {}", Map.of());
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!erinHasARun() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(erinHasARun(), "the long run is listed");
    client.terminateClient("erin-ends@A");
    assertEquals(List.of(), redis.keys(pattern), "ended with the session, not at the TTL");
    for (long until = System.nanoTime() + 5_000_000_000L; erinHasARun() && System.nanoTime() < until; ) {
      Thread.sleep(50);
    }
    assertFalse(erinHasARun(), "the session's run is cancelled with it, not left to its 30 s wall");
    orphan.get(20, TimeUnit.SECONDS); // the client's pending call ends too (with an error: its connection is gone)
  }

  private static boolean erinHasARun() throws Exception {
    for (JsonNode r : admin(0).call("GET", "/runs").body().path("runs")) {
      if ("erin".equals(r.path("principal").asText())) {
        return true;
      }
    }
    return false;
  }

  @Test
  @Order(1)
  void theKillswitchThrownOnAStopsBAndCWithinASecondAndOffRestoresThem() throws Exception {
    assertEquals(3, run("kate", 'B', "return 1 + 2").at("/structuredContent/result").asInt());
    try {
      assertEquals(200, admin(0).call("POST", "/killswitch/on").status());
      long t0 = System.nanoTime();
      long[] seenMs = new long[3];
      for (int i = 1; i < 3; i++) {
        while (!admin(i).call("GET", "/killswitch").body().path("engaged").asBoolean()
            && System.nanoTime() - t0 < 5_000_000_000L) {
          Thread.sleep(5);
        }
        seenMs[i] = (System.nanoTime() - t0) / 1_000_000;
      }
      System.out.printf("killswitch thrown on A: seen on B after %d ms, on C after %d ms%n", seenMs[1], seenMs[2]);
      assertTrue(seenMs[1] < 1_000 && seenMs[2] < 1_000, "B and C hear it within 1 s: " + seenMs[1] + ", " + seenMs[2] + " ms");
      JsonNode onB = run("kate", 'B', "return 'ran on B'");
      JsonNode onC = run("kate", 'C', "return 'ran on C'");
      assertTrue(refusedByKillswitch(onB), onB.toString());
      assertTrue(refusedByKillswitch(onC), onC.toString());
    } finally {
      assertEquals(200, admin(0).call("POST", "/killswitch/off").status());
    }
    long t1 = System.nanoTime();
    while (admin(2).call("GET", "/killswitch").body().path("engaged").asBoolean() && System.nanoTime() - t1 < 5_000_000_000L) {
      Thread.sleep(5);
    }
    long offMs = (System.nanoTime() - t1) / 1_000_000;
    assertTrue(offMs < 1_000, "off is heard on C within 1 s: " + offMs + " ms");
    JsonNode again = run("kate", 'C', "return 'back'");
    assertEquals("back", again.at("/structuredContent/result").asText(), again.toString());
  }

  @Test
  @Order(2)
  void aLongRunOnBIsListedAndCancelledThroughAsAdminApi() throws Exception {
    CompletableFuture<JsonNode> longRun = client.executeAs("carl@B", "while (true) {}", Map.of());
    String runId = null;
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (runId == null && System.nanoTime() < deadline) {
      for (JsonNode r : admin(0).call("GET", "/runs").body().path("runs")) {
        if ("carl".equals(r.path("principal").asText())) {
          runId = r.path("run_id").asText();
        }
      }
      Thread.sleep(50);
    }
    assertTrue(runId != null, "A's admin API lists the run on B");
    long t0 = System.nanoTime();
    AdminClient.Answer cancel = admin(0).call("POST", "/runs/" + runId + "/cancel");
    assertEquals(200, cancel.status(), cancel.body().toString());
    JsonNode answer = TsClient.value(longRun.get(20, TimeUnit.SECONDS));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals("cancelled", answer.at("/structuredContent/status").asText(), answer.toString());
    assertEquals(runId, answer.at("/structuredContent/run_id").asText());
    assertTrue(ms < 5_000, "cancelled promptly, not at its 30 s wall: " + ms + " ms");
    assertEquals(404, admin(1).call("POST", "/runs/no-such-run/cancel").status());
  }

  @Test
  @Order(3)
  void aPrincipalsLimitHoldsSummedOverTheThreeReplicas() throws Exception {
    int ok = 0;
    int limited = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < 30; i++) {
      JsonNode r = run("rita", "ABC".charAt(i % 3), "return " + i);
      if (!r.path("isError").asBoolean()) {
        ok++;
      } else {
        assertTrue(r.at("/content/0/text").asText().contains("rate limited"), r.toString());
        limited++;
      }
    }
    double minutes = (System.nanoTime() - t0) / 60e9;
    int bound = BURST + (int) Math.ceil(PER_MINUTE * minutes);
    System.out.printf("rate limit over 3 replicas: %d of 30 allowed in %.1f s (bound %d; per replica it would be %d)%n",
        ok, minutes * 60, bound, 3 * BURST);
    assertTrue(ok >= BURST && ok <= bound, ok + " allowed; at most the burst plus the refill, summed over replicas: " + bound);
    assertEquals(30, ok + limited);
  }

  @Test
  @Order(4)
  void anArtifactWrittenOnAIsReadOnCAndNotByAnotherPrincipal() throws Exception {
    JsonNode r = run("alice", 'A', """
        await fs.mkdir('/workspace/out', {recursive: true});
        await fs.writeFile('/workspace/out/findings.md', '# shared across replicas');
        return 'written'""");
    assertEquals("written", r.at("/structuredContent/result").asText(), r.toString());
    String uri = r.at("/structuredContent/artifacts/0/uri").asText();
    assertTrue(uri.startsWith("artifact://"), r.toString());
    JsonNode read = client.readResourceRaw("alice@C", uri);
    assertEquals("# shared across replicas", read.at("/value/contents/0/text").asText(), read.toString());
    JsonNode foreign = client.readResourceRaw("bob@C", uri);
    assertFalse(foreign.path("ok").asBoolean(), foreign.toString());
    assertFalse(foreign.toString().contains("shared across replicas"), foreign.toString());
    assertTrue(s3.keys("codemode-replicas").stream().anyMatch(k -> k.startsWith("it/artifacts/")), "kept in the bucket");
  }

  @Test
  @Order(5)
  void redisDownRunsStillAnswerTheKillswitchStaysOnAndRedisBackResumes() throws Exception {
    redis.stop();
    try {
      for (char replica : "ABC".toCharArray()) {
        long t0 = System.nanoTime();
        JsonNode r = run("dave", replica, "return 'still serving'");
        assertEquals("still serving", r.at("/structuredContent/result").asText(), replica + ": " + r);
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 10_000, "no hang on a down backend");
      }
      for (ServerProcess p : replicas) {
        assertTrue(p.log().contains("is DOWN"), "the log says the state backend is down: " + p.log());
        String metrics = RawHttp.send("GET", p.base() + "/metrics", Map.of("Authorization", "Bearer " + token("dave")), null,
            false).body();
        assertTrue(metrics.contains("codemode_state_backend_up 0.0"), metrics);
      }
    } finally {
      redis.startAgain();
    }
    // Back without a restart: the killswitch crosses replicas again.
    long deadline = System.nanoTime() + 15_000_000_000L;
    AdminClient.Answer on = admin(0).call("POST", "/killswitch/on");
    while (on.status() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      on = admin(0).call("POST", "/killswitch/on");
    }
    assertEquals(200, on.status(), on.body().toString());
    // C hears it pushed, or at its next poll when its subscription is still reconnecting after the outage.
    boolean refused = refusedByKillswitch(run("dave", 'C', "return 1"));
    for (long until = System.nanoTime() + 5_000_000_000L; !refused && System.nanoTime() < until; ) {
      Thread.sleep(200);
      refused = refusedByKillswitch(run("dave", 'C', "return 1"));
    }
    assertTrue(refused, "C refuses runs once the killswitch is on again");
    // Down while on: every replica keeps refusing, and "off" is not taken while the others cannot hear it.
    redis.stop();
    try {
      Thread.sleep(700); // several killswitch polls fail
      assertTrue(refusedByKillswitch(run("dave", 'B', "return 1")), "B keeps the last state seen (on)");
      AdminClient.Answer off = admin(0).call("POST", "/killswitch/off");
      assertEquals(503, off.status(), off.body().toString());
      assertTrue(refusedByKillswitch(run("dave", 'A', "return 1")), "A stays on too");
    } finally {
      redis.startAgain();
    }
    // The restarted Redis is empty; the replicas put back the "on" they saw, then an operator turns it off.
    deadline = System.nanoTime() + 15_000_000_000L;
    AdminClient.Answer off = admin(2).call("POST", "/killswitch/off");
    while (off.status() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      off = admin(2).call("POST", "/killswitch/off");
    }
    assertEquals(200, off.status(), off.body().toString());
    // Each hears it pushed, or at its next poll once its connection is back (a reconnect may still be pending).
    for (char replica : "ABC".toCharArray()) {
      JsonNode r = run("dave", replica, "return 'resumed'");
      // (every try takes one of dave's 10 rate-limit tokens; the restarted Redis gave him a full bucket)
      for (long until = System.nanoTime() + 5_000_000_000L; refusedByKillswitch(r) && System.nanoTime() < until; ) {
        Thread.sleep(600);
        r = run("dave", replica, "return 'resumed'");
      }
      assertEquals("resumed", r.at("/structuredContent/result").asText(), replica + ": " + r);
    }
    for (ServerProcess p : replicas) {
      assertTrue(p.log().contains("is back"), "the log says the backend is back");
      assertFalse(p.log().contains("Exception in thread"), p.log());
    }
  }
}
