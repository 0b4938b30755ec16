package dev.codemode.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.Profile;
import dev.codemode.policies.RuntimeSettings;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.Runner;
import dev.codemode.runtime.TestRuns;
import dev.codemode.runtime.Walls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Walls found off the start-up path: a run that comes before they are known waits, then runs behind them;
 * nothing says the walls are up (or the pool warm) before they are; a waiting run can be cancelled, and a
 * runner closed meanwhile closes what it chose.
 */
class StartingRunnerIT {
  private static final Profile WARM = TestRuns.profile(TestRuns.limits());
  private static final RuntimeSettings AUTO = new RuntimeSettings(RuntimeSettings.Isolation.AUTO, RuntimeSettings.Jail.AUTO, 1, 0, 1, 100);

  /** The production choice, held until {@code gate} opens: the walls stay unknown until then. */
  private static StartingRunner gated(CountDownLatch gate, AtomicReference<Runner> built) {
    return StartingRunner.inBackground(() -> {
      try {
        gate.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      Runner r = Runners.create(AUTO, WARM);
      built.set(r);
      return r;
    });
  }

  @Test
  void aRunBeforeTheWallsAreKnownWaitsForThemAndRunsInAJailedWorker() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (StartingRunner runner = gated(gate, new AtomicReference<>())) {
      CompletableFuture<RunResult> early = CompletableFuture.supplyAsync(() -> runner.run(TestRuns.request("return 6 * 7")));
      Thread.sleep(1000);
      assertFalse(early.isDone(), "a run executed before the walls were known: " + (early.isDone() ? early.join() : null));
      assertTrue(runner.walls().isEmpty(), "walls reported before they were found");
      assertFalse(runner.warm(), "warm before any worker started");
      assertTrue(runner.describe().startsWith("starting"), runner.describe());
      assertTrue(runner.activeRunIds().isEmpty(), "a waiting run is not executing");

      gate.countDown();
      RunResult r = early.get(120, TimeUnit.SECONDS);
      assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
      assertEquals(42, r.result().asInt());
      Walls walls = runner.walls().orElseThrow();
      assertTrue(walls.workerProcess() && walls.jail(), walls.statement());
      WorkerPoolRunner pool = (WorkerPoolRunner) runner.started().toCompletableFuture().join();
      // The thread that found the walls has ended; the worker it had the pool start lives on (bubblewrap's
      // --die-with-parent follows the starting thread), so the pool fills and stays warm.
      assertTrue(pool.awaitWarm(120_000), "the pool never filled: a worker died with the thread that started it");
      assertTrue(runner.warm());
      for (WorkerProcess w : pool.workers()) {
        String cmdline = Files.readString(Path.of("/proc/" + w.pid() + "/cmdline")).replace('\0', ' ');
        assertTrue(cmdline.contains("bwrap"), "a worker of the chosen runner runs unjailed: " + cmdline);
      }
    }
  }

  @Test
  void aWaitingRunCanBeCancelledAndClosingMeanwhileClosesTheRunnerChosenLater() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    AtomicReference<Runner> built = new AtomicReference<>();
    StartingRunner runner = gated(gate, built);
    RunResult[] results = new RunResult[2];
    var cancelled = TestRuns.request("return 1");
    CompletableFuture<Void> first = CompletableFuture.runAsync(() -> results[0] = runner.run(cancelled));
    CompletableFuture<Void> second = CompletableFuture.runAsync(() -> results[1] = runner.run(TestRuns.request("return 2")));
    for (int i = 0; i < 200 && !runner.cancel(cancelled.runId()); i++) {
      Thread.sleep(10);
    }
    first.get(10, TimeUnit.SECONDS);
    assertEquals(RunStatus.CANCELLED, results[0].status());
    runner.close();
    second.get(10, TimeUnit.SECONDS);
    assertEquals(RunStatus.CANCELLED, results[1].status(), "a run went on after its runner was closed");

    gate.countDown();
    // The runner chosen after close() is closed at once: its workers go.
    for (int i = 0; i < 1200 && (built.get() == null || !((WorkerPoolRunner) built.get()).workers().isEmpty()); i++) {
      Thread.sleep(100);
    }
    assertTrue(built.get() != null, "the walls were never found");
    assertEquals(java.util.List.of(), ((WorkerPoolRunner) built.get()).workers(), "the runner chosen after close() kept its workers");
    assertTrue(runner.walls().isEmpty(), "a closed runner reports walls");
    assertEquals(RunStatus.CANCELLED, runner.run(TestRuns.request("return 3")).status());
  }

  @Test
  void requiredWallsAreFoundBeforeStartReturnsAndAutoRunsRightAway() {
    try (StartingRunner strict = Runners.start(new RuntimeSettings(RuntimeSettings.Isolation.PROCESS, RuntimeSettings.Jail.NONE, 1, 0, 1, 100), WARM)) {
      assertTrue(strict.walls().isPresent(), "isolation process must fail start-up when no worker starts, so it is not deferred");
    }
    try (StartingRunner auto = Runners.start(AUTO, WARM)) {
      RunResult r = auto.run(TestRuns.request("return 1 + 1"));
      assertEquals(2, r.result().asInt(), String.valueOf(r.error()));
      assertTrue(auto.walls().orElseThrow().jail(), auto.describe());
    }
  }
}
