package dev.codemode.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.ProcLimits;
import dev.codemode.policies.RuntimeSettings;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.TestRuns;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A run cancelled while it waits for a run slot ends at once, not when a slot comes free. */
class WorkerCancelWhileWaitingIT {

  @Test
  void aRunCancelledWhileWaitingForASlotEndsAtOnceAndTheRunnerGoesOn() throws Exception {
    try (WorkerPoolRunner runner = (WorkerPoolRunner) Runners.create(new RuntimeSettings(
        RuntimeSettings.Isolation.PROCESS, RuntimeSettings.Jail.BWRAP, 1, 8, 1, 100), TestRuns.profile(TestRuns.limits()))) {
      assertTrue(runner.awaitWarm(60_000));
      ProcLimits longWall = new ProcLimits(60_000, 60_000, 256, 4096, 65_536, Long.MAX_VALUE / 2, 500, 200);
      RunRequest spin = TestRuns.request("while (true) {}", longWall, HostBridge.NONE);
      CompletableFuture<RunResult> spinning = CompletableFuture.supplyAsync(() -> runner.run(spin));
      for (int i = 0; i < 400 && !runner.activeRunIds().contains(spin.runId()); i++) {
        Thread.sleep(25);
      }
      assertTrue(runner.activeRunIds().contains(spin.runId()), "the spinning run never started");
      RunRequest queued = TestRuns.request("return 1");
      CompletableFuture<RunResult> waiting = CompletableFuture.supplyAsync(() -> runner.run(queued));
      Thread.sleep(300);
      assertFalse(waiting.isDone(), "the second run should wait for the only slot");
      assertTrue(runner.cancel(queued.runId()), "the runner did not know the waiting run");
      assertEquals(RunStatus.CANCELLED, waiting.get(5, TimeUnit.SECONDS).status());
      assertFalse(spinning.isDone(), "cancelling the waiting run touched the running one");
      assertTrue(runner.cancel(spin.runId()));
      assertEquals(RunStatus.CANCELLED, spinning.get(10, TimeUnit.SECONDS).status());
      assertFalse(runner.cancel(queued.runId()), "a run that ended is not cancellable");
      RunResult next = runner.run(TestRuns.request("return 41 + 1"));
      assertEquals(RunStatus.OK, next.status(), String.valueOf(next.error()));
      assertFalse(Thread.currentThread().isInterrupted());
    }
  }
}
