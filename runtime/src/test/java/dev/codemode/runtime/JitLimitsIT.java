package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.RuntimeSettings;
import dev.codemode.runtime.worker.Runners;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every limit test of {@link LimitsTest}, run in a jailed worker with {@code runtime.jit: on}: the worker's
 * Graal release has no {@code sandbox.*} options, so these prove codemode's own enforcement gives the same
 * status and limit kind.
 */
class JitLimitsIT extends LimitsTest {

  @BeforeAll
  static void startJitWorkers() {
    under = Runners.create(new RuntimeSettings(RuntimeSettings.Isolation.PROCESS, RuntimeSettings.Jail.BWRAP, 2, 8, 2,
        10_000).withJit(RuntimeSettings.Jit.ON), TestRuns.profile(TestRuns.limits()));
    assertTrue(under.describe().contains("JIT on"), under.describe());
  }

  @AfterAll
  static void stopJitWorkers() {
    under.close();
  }

  @Test
  void computesWithTheOptimizingRuntime() {
    RunResult r = run("function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) } return fib(25)");
    assertEquals(RunStatus.OK, r.status(), () -> String.valueOf(r.error()));
    assertEquals(75025, r.result().asInt());
  }
}
