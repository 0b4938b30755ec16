package dev.codemode.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.ProcLimits;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.LimitKind;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.TestRuns;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The OS wall holds when the language wall is not enough: memory bombs and crashes end one worker, never the host. */
class WorkerWallIT {
  private static final ProcLimits ROOMY = new ProcLimits(60_000, 60_000, 256, 4096, 65_536, Long.MAX_VALUE / 2, 500, 200);

  @Test
  void memoryBombEndsAsAMemoryLimitWhileRunsBesideItCompleteAndThePoolReplacesTheWorker() throws Exception {
    WorkerPoolRunner runner = WorkerFixture.runner();
    assertTrue(runner.awaitWarm(120_000), "pool did not warm up");
    var started = WorkerFixture.started(
        TestRuns.request("let a = []; for (;;) a.push(new Array(1e6).fill(1))", ROOMY, HostBridge.NONE));
    CompletableFuture<RunResult> bomb = started.getKey();
    List<CompletableFuture<RunResult>> beside = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      int n = i;
      beside.add(CompletableFuture.supplyAsync(() -> runner.run(TestRuns.request(
          "let s = 0; for (let i = 0; i < 300000; i++) { s += i % 7 } return [" + n + ", s]", ROOMY, HostBridge.NONE))));
    }
    RunResult b = bomb.get(90, TimeUnit.SECONDS);
    assertEquals(RunStatus.LIMIT, b.status(), () -> "error=" + b.error());
    assertEquals(LimitKind.MEMORY, b.limit().kind());
    for (int i = 0; i < 2; i++) {
      RunResult r = beside.get(i).get(90, TimeUnit.SECONDS);
      assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
      assertEquals(i, r.result().get(0).asInt());
    }
    started.getValue().onExit().get(10, TimeUnit.SECONDS);
    assertFalse(started.getValue().isAlive(), "the bomb's worker is still alive");
    assertTrue(runner.awaitWarm(120_000), "the pool did not refill after the bomb");
    assertEquals(2, WorkerFixture.runner().run(TestRuns.request("return 1 + 1")).result().asInt());
  }

  @Test
  void heapExhaustionInsideTheJvmIsAMemoryLimitNotACrash() throws Exception {
    // Allocations of 64 MB outrun the heap guard's poll: OutOfMemoryError, the JVM exits with 3, the host maps it.
    RunResult r = WorkerFixture.runner().run(TestRuns.request(
        "const big = []; for (let i = 0; i < 64; i++) big.push(new Float64Array(8e6)); return big.length", ROOMY,
        HostBridge.NONE));
    assertEquals(RunStatus.LIMIT, r.status(), () -> "error=" + r.error());
    assertEquals(LimitKind.MEMORY, r.limit().kind());
    assertTrue(r.limit().detail().contains("ran out of heap"), r.limit().detail());
  }

  @Test
  void aWorkerKilledMidRunEndsItsRunWithAnAnswerNotAHang() throws Exception {
    WorkerPoolRunner runner = WorkerFixture.runner();
    assertTrue(runner.awaitWarm(120_000));
    String id = "crash-" + System.nanoTime();
    CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() -> runner.run(new dev.codemode.runtime.RunRequest(
        id, "while (true) {}", TestRuns.profile(ROOMY), null, java.util.Map.of(), HostBridge.NONE)));
    WorkerProcess busy = null;
    for (int i = 0; i < 400 && busy == null; i++) {
      Thread.sleep(25);
      busy = runner.workerOf(id);
    }
    assertTrue(busy != null, "no worker took the run");
    Thread.sleep(300);
    WorkerFixture.javaOf(busy).destroyForcibly();
    long t0 = System.nanoTime();
    RunResult r = run.get(20, TimeUnit.SECONDS);
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 10_000);
    assertEquals(RunStatus.INTERNAL_ERROR, r.status());
    assertTrue(r.error().message().contains("worker process ended"), r.error().message());
    assertFalse(r.error().message().contains("java."), r.error().message());
    assertEquals(2, runner.run(TestRuns.request("return 1 + 1")).result().asInt());
  }

  @Test
  void anIdleWorkerThatDiesIsReplaced() throws Exception {
    WorkerPoolRunner runner = WorkerFixture.runner();
    assertTrue(runner.awaitWarm(120_000));
    WorkerProcess idle = WorkerFixture.idle().get(0);
    WorkerFixture.javaOf(idle).destroyForcibly();
    idle.exit().get(10, TimeUnit.SECONDS);
    assertTrue(runner.awaitWarm(120_000), "the pool did not replace a dead idle worker");
    assertFalse(runner.workers().contains(idle));
    for (int i = 0; i < 3; i++) {
      assertEquals(i, runner.run(TestRuns.request("return " + i)).result().asInt());
    }
  }

  @Test
  void cancelKillsTheWorker() throws Exception {
    WorkerPoolRunner runner = WorkerFixture.runner();
    String id = "cancel-me-" + System.nanoTime();
    CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() -> runner.run(new dev.codemode.runtime.RunRequest(
        id, "while (true) {}", TestRuns.profile(ROOMY), null, java.util.Map.of(), HostBridge.NONE)));
    for (int i = 0; i < 400 && !runner.activeRunIds().contains(id); i++) {
      Thread.sleep(25);
    }
    Thread.sleep(200);
    assertTrue(runner.cancel(id));
    assertEquals(RunStatus.CANCELLED, run.get(20, TimeUnit.SECONDS).status());
  }
}
