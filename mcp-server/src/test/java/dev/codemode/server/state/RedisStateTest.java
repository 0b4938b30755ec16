package dev.codemode.server.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.HttpSettings.RateLimit;
import dev.codemode.policies.ops.PiiSettings;
import dev.codemode.policies.ops.StateSettings;
import dev.codemode.server.pii.PiiTokenizer;
import dev.codemode.server.pii.PiiVault;
import dev.codemode.server.admin.Killswitch;
import dev.codemode.server.admin.RunRegistry;
import dev.codemode.server.audit.RunIdentity;
import dev.codemode.server.e2e.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redis state backend against a real redis-server: two (or three) replicas' registries sharing one server. */
class RedisStateTest {
  private static RedisServer redis;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    redis.close();
  }

  private static StateSettings.Redis settings(String prefix) {
    return new StateSettings.Redis(redis.url(), Duration.ofMillis(200), Duration.ofMillis(300), prefix);
  }

  private static RedisState open(String prefix) {
    return new RedisState(settings(prefix), redis.url());
  }

  private static void await(java.util.function.BooleanSupplier condition, long ms, String what) throws InterruptedException {
    long deadline = System.nanoTime() + ms * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + ms + " ms: " + what);
      }
      Thread.sleep(5);
    }
  }

  @Test
  void theKillswitchThrownOnOneReplicaStopsTheOthersWithinASecond() throws Exception {
    String p = "ks" + System.nanoTime();
    Set<String> cancelledOnB = ConcurrentHashMap.newKeySet();
    try (RedisState a = open(p); RedisState b = open(p); RedisState c = open(p);
        RunRegistry ra = new RunRegistry(id -> false, Clock.systemUTC(), a, Duration.ofMillis(200));
        RunRegistry rb = new RunRegistry(id -> cancelledOnB.add(id), Clock.systemUTC(), b, Duration.ofMillis(200));
        RunRegistry rc = new RunRegistry(id -> false, Clock.systemUTC(), c, Duration.ofMillis(200))) {
      rb.started(new RunIdentity("run-on-b", null, "alice", "s1", "default"), "1");
      long t0 = System.nanoTime();
      ra.killswitch(true, "admin");
      await(() -> rb.killswitch().engaged() && rc.killswitch().engaged(), 1000, "B and C see the killswitch");
      await(() -> cancelledOnB.contains("run-on-b"), 1000, "B's run is cancelled");
      System.out.printf("killswitch seen on B and C after %.1f ms%n", (System.nanoTime() - t0) / 1e6);
      ra.killswitch(false, "admin");
      await(() -> !rb.killswitch().engaged() && !rc.killswitch().engaged(), 1000, "B and C see it off");
    }
  }

  @Test
  void aRunOnOneReplicaIsListedAndCancelledFromAnother() throws Exception {
    String p = "runs" + System.nanoTime();
    Set<String> cancelledOnB = ConcurrentHashMap.newKeySet();
    try (RedisState a = open(p); RedisState b = open(p);
        RunRegistry ra = new RunRegistry(id -> false, Clock.systemUTC(), a, Duration.ofMillis(200));
        RunRegistry rb = new RunRegistry(id -> cancelledOnB.add(id), Clock.systemUTC(), b, Duration.ofMillis(200))) {
      rb.started(new RunIdentity("long-run", null, "alice", "s1", "default"), "7");
      assertEquals(List.of("long-run"), ra.active().stream().map(r -> r.identity().runId()).toList());
      assertTrue(ra.cancel("long-run"));
      await(() -> cancelledOnB.contains("long-run"), 1000, "B cancels its run");
      assertFalse(ra.cancel("no-such-run"));
      rb.ended("long-run");
      assertEquals(List.of(), ra.active());
    }
  }

  @Test
  void theTokenBucketIsOneForAllReplicasAndAtomic() throws Exception {
    String p = "rate" + System.nanoTime();
    RateLimit limit = new RateLimit(6, 5);
    AtomicInteger allowed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try (RedisState a = open(p); RedisState b = open(p); RedisState c = open(p)) {
      List<RedisState> replicas = List.of(a, b, c);
      List<Future<?>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 60; i++) {
        RedisState r = replicas.get(i % 3);
        calls.add(pool.submit(() -> {
          if (r.tryAcquire("alice", limit).isEmpty()) {
            allowed.incrementAndGet();
          }
        }));
      }
      for (Future<?> f : calls) {
        f.get();
      }
      // The burst, plus at most what refilled at 6 a minute while the calls ran.
      assertTrue(allowed.get() >= 5 && allowed.get() <= 6, "allowed " + allowed.get() + " of 60");
      assertTrue(a.tryAcquire("bob", limit).isEmpty(), "another principal has a bucket of its own");
      long wait = c.tryAcquire("alice", limit).orElseThrow();
      assertTrue(wait >= 1 && wait <= 10, "names when a token is back: " + wait);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aPiiTokenIssuedOnOneReplicaIsRestoredInALaterRunOfTheSameSessionOnAnother() throws Exception {
    String p = "pii" + System.nanoTime();
    PiiSettings settings = new PiiSettings(60, List.of());
    try (RedisState a = open(p); RedisState b = open(p)) {
      PiiVault onA = new PiiVault(settings, Clock.systemUTC(), a);
      PiiVault onB = new PiiVault(settings, Clock.systemUTC(), b);
      String answer = onA.session("alice/s1").tokenize("write to jane.doe@example.com");
      String token = answer.substring("write to ".length());
      assertTrue(token.matches("\\[EMAIL_[a-z2-7]{12}]"), answer);
      String code = "await servers.mail.send({to: '" + token + "'})";
      PiiTokenizer laterOnB = onB.session("alice/s1");
      Set<String> written = laterOnB.writtenIn(code);
      assertEquals(Set.of(token), written, "B knows the token A issued");
      assertEquals("jane.doe@example.com", laterOnB.restore(token, written));
      assertEquals(token, laterOnB.tokenize("jane.doe@example.com"), "the same value keeps its token on every replica");
      PiiTokenizer otherSession = onB.session("mallory/s9");
      assertEquals(Set.of(), otherSession.writtenIn(code), "another principal's session does not know it");
      assertEquals(token, otherSession.restore(token, Set.of(token)), "and cannot restore it");
      redis.stop();
      try {
        String down = onB.session("alice/s1").tokenize("call +1 415 555 0100 or bob@example.org");
        assertFalse(down.contains("bob@example.org"), "with Redis down the text is still tokenized: " + down);
      } finally {
        redis.startAgain();
      }
    }
  }

  @Test
  void redisDownKeepsTheLastSeenKillswitchAndRedisBackResumes() throws Exception {
    String p = "down" + System.nanoTime();
    try (RedisState a = open(p); RedisState b = open(p);
        RunRegistry ra = new RunRegistry(id -> false, Clock.systemUTC(), a, Duration.ofMillis(100));
        RunRegistry rb = new RunRegistry(id -> false, Clock.systemUTC(), b, Duration.ofMillis(100))) {
      ra.killswitch(true, "admin");
      await(() -> rb.killswitch().engaged(), 1000, "B sees the killswitch");
      redis.stop();
      try {
        long t0 = System.nanoTime();
        assertThrows(StateUnavailableException.class, () -> b.readKillswitch());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 2_000, "a command fails fast while Redis is down");
        await(() -> !b.up(), 1000, "the backend is reported down");
        Thread.sleep(300); // several polls fail
        assertTrue(rb.killswitch().engaged(), "the last state seen (on) stays in force while Redis is down");
        assertThrows(StateUnavailableException.class, () -> ra.killswitch(false, "admin"));
        assertTrue(ra.killswitch().engaged(), "off is not taken while the other replicas cannot hear it");
        rb.started(new RunIdentity("while-down", null, "alice", "s", "default"), "1");
        rb.ended("while-down"); // neither throws: runs go on
      } finally {
        redis.startAgain();
      }
      // The restarted Redis is empty: a replica that saw "on" puts it back; the killswitch is not dropped.
      await(b::up, 10_000, "the backend is back without a restart");
      await(() -> {
        try {
          return a.readKillswitch().map(Killswitch::engaged).orElse(false);
        } catch (StateUnavailableException reconnecting) {
          return false;
        }
      }, 10_000, "the killswitch is restored in Redis");
      assertTrue(rb.killswitch().engaged() && ra.killswitch().engaged());
      ra.killswitch(false, "admin");
      await(() -> !rb.killswitch().engaged(), 2000, "B hears it off");
    }
  }
}
