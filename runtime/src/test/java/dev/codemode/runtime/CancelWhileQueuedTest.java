package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A run the host cancels while it waits for a run slot ends at once, cancelled, and never runs its code. */
class CancelWhileQueuedTest {
  @Test
  void aRunCancelledWhileItWaitsForASlotEndsCancelledWithoutRunning() throws Exception {
    try (SandboxRunner one = SandboxRunner.builder().maxConcurrentRuns(1).queueCapacity(4).build()) {
      RunRequest busy = TestRuns.request("while (true) {}");
      CompletableFuture<RunResult> first = CompletableFuture.supplyAsync(() -> one.run(busy));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!one.activeRunIds().contains(busy.runId()) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      RunRequest queued = TestRuns.request("console.log('ran'); return 'ran'");
      CompletableFuture<RunResult> second = CompletableFuture.supplyAsync(() -> one.run(queued));
      Thread.sleep(300);
      assertTrue(one.cancel(queued.runId()), "a run waiting for a slot is one the host can cancel");
      RunResult r = second.get(5, TimeUnit.SECONDS);
      assertEquals(RunStatus.CANCELLED, r.status(), r.toString());
      assertEquals("", r.console() == null ? "" : r.console());
      assertTrue(!first.isDone(), "cancelling the waiting run touched the running one");
      assertTrue(one.cancel(busy.runId()));
      assertEquals(RunStatus.CANCELLED, first.get(20, TimeUnit.SECONDS).status());
      assertEquals(false, one.cancel(queued.runId()), "a run that ended is not cancellable");
      assertEquals(RunStatus.OK, one.run(TestRuns.request("return 41 + 1")).status());
      // A run's thread forgets it just after its answer has gone.
      for (int i = 0; i < 100 && !one.activeRunIds().isEmpty(); i++) {
        Thread.sleep(20);
      }
      assertTrue(one.activeRunIds().isEmpty(), one.activeRunIds().toString());
    }
  }
}
