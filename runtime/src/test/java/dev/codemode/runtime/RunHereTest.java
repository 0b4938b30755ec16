package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Running on the caller's thread: only on a thread with a run's stack, and with the same limits. */
class RunHereTest extends RunnerFixture {
  @Test
  void anOrdinaryThreadIsRefusedBeforeAnythingRuns() {
    // Its stack may be too small for the frame limit to fire before a catchable StackOverflowError.
    assertThrows(IllegalStateException.class, () -> runner.runHere(TestRuns.request("return 1"), r -> { }));
  }

  @Test
  void aRunThreadRunsTheRequestItselfWithTheSameLimits() throws Exception {
    CompletableFuture<RunResult[]> results = new CompletableFuture<>();
    Thread t = SandboxRunner.newRunThread("test-run-here", () -> {
      RunResult[] out = new RunResult[2];
      runner.runHere(TestRuns.request("return [typeof Java, 6 * 7]"), r -> out[0] = r);
      runner.runHere(TestRuns.request("function f(n) { return f(n + 1) + 1 } return f(0)"), r -> out[1] = r);
      results.complete(out);
    });
    t.start();
    RunResult[] out = results.get(60, TimeUnit.SECONDS);
    assertEquals(RunStatus.OK, out[0].status(), String.valueOf(out[0].error()));
    assertEquals("[\"undefined\",42]", out[0].result().toString());
    assertEquals(RunStatus.LIMIT, out[1].status(), "unbounded recursion ends at the frame limit, as on the pool");
    assertEquals(LimitKind.STACK, out[1].limit().kind());
  }
}
