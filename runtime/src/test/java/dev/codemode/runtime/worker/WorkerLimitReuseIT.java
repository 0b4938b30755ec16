package dev.codemode.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.codemode.policies.ProcLimits;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.LimitKind;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.TestRuns;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A time or statement limit costs the run its context, not the worker its JVM: the worker that ran the
 * runaway loop takes the next run, and that run sees nothing of the one before (globals, prototypes,
 * built-ins, bridge replies still in flight).
 */
class WorkerLimitReuseIT {
  /** What the runaway run leaves behind if anything survived its context. */
  private static final String POLLUTE = "globalThis.leak = 'left'; Object.prototype.polluted = 1;"
      + " Array.prototype.map = function () { return 'hijacked' }; JSON.stringify = () => '\"hijacked\"';"
      + " Math.random = () => 4; ";
  private static final String CHECK = "return [typeof globalThis.leak, 'polluted' in {}, [1].map(x => x + 1)[0],"
      + " JSON.stringify({a: 1}), Math.random() < 1]";
  private static final String CLEAN = "[\"undefined\",false,2,\"{\\\"a\\\":1}\",true]";

  private static ProcLimits limits(long wallMs, long cpuMs, long statements) {
    return new ProcLimits(wallMs, cpuMs, 256, 4096, 65_536, statements, 500, 200);
  }

  @Test
  void aCpuLimitClosesTheContextAndTheSameWorkerRunsTheNextRunClean() throws Exception {
    assertLimitKeepsTheWorker(limits(20_000, 400, Long.MAX_VALUE / 2), "let i = 0; while (true) { i++ }",
        LimitKind.CPU_TIME);
  }

  @Test
  void aWallLimitClosesTheContextAndTheSameWorkerRunsTheNextRunClean() throws Exception {
    assertLimitKeepsTheWorker(limits(600, 60_000, Long.MAX_VALUE / 2), "while (true) {}", LimitKind.WALL_TIME);
  }

  @Test
  void aStatementLimitClosesTheContextAndTheSameWorkerRunsTheNextRunClean() throws Exception {
    assertLimitKeepsTheWorker(limits(20_000, 60_000, 20_000_000), "let n = 0; for (;;) { n++ }", LimitKind.STATEMENTS);
  }

  private static void assertLimitKeepsTheWorker(ProcLimits l, String loop, LimitKind expected) throws Exception {
    WorkerPoolRunner runner = WorkerFixture.runner();
    assertTrue(runner.awaitWarm(120_000), "pool did not warm up");
    Set<WorkerProcess> before = new HashSet<>(runner.workers());
    var started = WorkerFixture.started(TestRuns.request(POLLUTE + loop, l, HostBridge.NONE));
    RunResult r = started.getKey().get(60, TimeUnit.SECONDS);
    assertEquals(RunStatus.LIMIT, r.status(), () -> "error=" + r.error());
    assertEquals(expected, r.limit().kind());
    WorkerProcess loopWorker = runner.workers().stream().filter(w -> w.handle().equals(started.getValue()))
        .findFirst().orElseThrow(() -> new AssertionError("the worker that hit the limit is gone"));
    assertTrue(loopWorker.alive());
    // Most recently used first: the worker that ran the loop is the next one to take a run.
    assertSame(loopWorker, WorkerFixture.idle().get(0), "the worker did not go back to the pool");
    int runsBefore = loopWorker.runs();
    RunResult next = runner.run(TestRuns.request(CHECK));
    assertEquals(RunStatus.OK, next.status(), () -> "error=" + next.error());
    assertEquals(runsBefore + 1, loopWorker.runs(), "the next run went to another worker");
    assertEquals(CLEAN, next.result().toString(), "state leaked from the run the limit ended");
    assertEquals(before, new HashSet<>(runner.workers()), "a worker was replaced after a " + expected + " limit");
  }

  @Test
  void aReplyStillInFlightWhenTheLimitHitIsNeverSeenByTheNextRun() throws Exception {
    WorkerPoolRunner runner = WorkerFixture.runner();
    assertTrue(runner.awaitWarm(120_000), "pool did not warm up");
    // Every reply comes 1.5 s after its call: the runaway run's reply arrives while the next run waits for its own.
    HostBridge slow = call -> CompletableFuture.supplyAsync(
        () -> (JsonNode) IntNode.valueOf(call.args().path("args").path("n").asInt() * 2),
        CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS));
    Map<String, Map<String, String>> servers = Map.of("demo", Map.of("double", "double-it"));
    RunResult loop = runner.run(new RunRequest(UUID.randomUUID().toString(),
        "servers.demo.double({n: 1}); let i = 0; while (true) { i++ }",
        TestRuns.profile(limits(20_000, 300, Long.MAX_VALUE / 2)), null, servers, slow));
    assertEquals(RunStatus.LIMIT, loop.status(), () -> "error=" + loop.error());
    WorkerProcess loopWorker = WorkerFixture.idle().get(0);
    RunResult next = runner.run(new RunRequest(UUID.randomUUID().toString(),
        "const got = []; for (const n of [21, 5]) got.push(await servers.demo.double({n})); return got",
        TestRuns.profile(TestRuns.limits()), null, servers, slow));
    assertEquals(RunStatus.OK, next.status(), () -> "error=" + next.error());
    assertEquals("[42,10]", next.result().toString());
    assertTrue(loopWorker.alive(), "the worker was replaced");
    assertEquals(List.of(), next.denials());
  }
}
