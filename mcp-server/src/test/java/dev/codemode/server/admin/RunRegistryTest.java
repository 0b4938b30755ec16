package dev.codemode.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.server.audit.RunIdentity;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class RunRegistryTest {
  private final Set<String> runnerHas = ConcurrentHashMap.newKeySet();
  private final List<String> stops = new java.util.concurrent.CopyOnWriteArrayList<>();

  private RunRegistry registry() {
    return new RunRegistry(id -> {
      if (runnerHas.contains(id)) {
        stops.add(id);
        return true;
      }
      return false;
    }, Clock.systemUTC());
  }

  private static RunIdentity id(String runId, String session) {
    return new RunIdentity(runId, null, "stdio", session, "default");
  }

  @Test
  void aCancelledRunStillInTheQueueIsStoppedOnceItStarts() throws Exception {
    try (RunRegistry r = registry()) {
      r.started(id("a", "s1"), "7");
      assertEquals(java.util.Optional.empty(), r.cancelRequest("s2", "7"), "another session's request with the same id");
      assertEquals(java.util.Optional.of("a"), r.cancelRequest("s1", "7"));
      assertFalse(stops.contains("a"), "still queued: the runner does not have it yet");
      Thread.sleep(RunRegistry.SWEEP_MS * 2);
      runnerHas.add("a");
      Thread.sleep(RunRegistry.SWEEP_MS * 4);
      assertTrue(stops.contains("a"));
      int n = stops.size();
      Thread.sleep(RunRegistry.SWEEP_MS * 3);
      assertEquals(n, stops.size(), "stopped once, not on every sweep");
      r.ended("a");
      assertFalse(r.cancel("a"));
    }
  }

  @Test
  void killswitchStopsEverythingInFlightAndWhatStartsWhileOn() throws Exception {
    try (RunRegistry r = registry()) {
      runnerHas.add("a");
      r.started(id("a", "s"), null);
      assertTrue(r.killswitch(true, "test").engaged());
      assertTrue(stops.contains("a"));
      runnerHas.add("b");
      r.started(id("b", "s"), null);
      Thread.sleep(RunRegistry.SWEEP_MS * 4);
      assertTrue(stops.contains("b"));
      assertTrue(r.killswitch().refusal().contains("killswitch"));
      assertFalse(r.killswitch(false, "test").engaged());
      runnerHas.add("c");
      r.started(id("c", "s"), null);
      Thread.sleep(RunRegistry.SWEEP_MS * 4);
      assertFalse(stops.contains("c"));
      assertEquals(Set.of("a", "b", "c"), Set.copyOf(r.active().stream().map(x -> x.identity().runId()).toList()));
    }
  }
}
