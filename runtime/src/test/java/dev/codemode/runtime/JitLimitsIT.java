package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.RuntimeSettings;
import dev.codemode.runtime.worker.Runners;
import dev.codemode.runtime.worker.WorkerPoolRunner;
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

  /**
   * The same bound as in process, timed from a warm pool: a limit in an earlier test may have cost a worker,
   * and a JIT worker's start (seconds on a loaded machine) is not the run's wall time.
   */
  @Override
  @Test
  void wallTimeEndsABlockedRunWithinItsBudget() {
    try {
      assertTrue(((WorkerPoolRunner) under).awaitWarm(180_000), "the pool did not become warm");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    super.wallTimeEndsABlockedRunWithinItsBudget();
  }

  /**
   * A documented difference: Graal 25.0.3 has no frame limit, so the stack is the run thread's and its
   * overflow is a RangeError the guest can catch, as in V8. Uncaught, it is the STACK limit. A guest that
   * catches it and recurses again was measured to resist {@code Context.close(true)} on this release; the
   * host's wall watchdog then ends the worker JVM (it is replaced), so the run still ends as a limit.
   */
  @Override
  @Test
  void stackFramesEvenWhenTheGuestCatches() {
    RunResult uncaught = run("function f() { return f() + 1 } return f()");
    assertEquals(RunStatus.LIMIT, uncaught.status(), () -> String.valueOf(uncaught.error()));
    assertEquals(LimitKind.STACK, uncaught.limit().kind());
    dev.codemode.policies.ProcLimits tight = new dev.codemode.policies.ProcLimits(4_000, 1_000, 256, 4096, 65_536,
        Long.MAX_VALUE / 2, 500, 200);
    RunResult caught = under.run(TestRuns.request("function f() { try { return f() } catch (e) { return f() } } return f()",
        tight, HostBridge.NONE));
    assertEquals(RunStatus.LIMIT, caught.status(), () -> String.valueOf(caught.error()));
    assertTrue(java.util.Set.of(LimitKind.CPU_TIME, LimitKind.WALL_TIME).contains(caught.limit().kind()),
        caught.limit().detail());
    assertEquals(2, run("return 1+1").result().asInt(), "the pool still works");
  }

  /**
   * A compile bomb (a huge hot function, rebuilt fresh so the compiler never catches up) ends with its own
   * limit, while a run on the other worker, started beside it, completes.
   */
  @Test
  void aCompileBombEndsAsALimitWhileARunBesideItCompletes() throws Exception {
    dev.codemode.policies.ProcLimits tight = new dev.codemode.policies.ProcLimits(20_000, 3_000, 256, 4096, 65_536,
        Long.MAX_VALUE / 2, 500, 200);
    String bomb = "let s = 0; for (let k = 0; ; k++) {"
        + " const body = Array.from({length: 4000}, (_, i) => 'x = (x * 31 + ' + (i + k) + ') | 0;').join('');"
        + " const f = new Function('x', body + 'return x'); for (let i = 0; i < 20000; i++) s = f(s) }";
    var bombRun = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> under.run(TestRuns.request(bomb, tight, HostBridge.NONE)));
    Thread.sleep(500);
    RunResult beside = run("function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) } return fib(22)");
    assertEquals(RunStatus.OK, beside.status(), () -> String.valueOf(beside.error()) + " " + beside.limit());
    RunResult r = bombRun.get();
    assertEquals(RunStatus.LIMIT, r.status(), () -> String.valueOf(r.error()));
    // CPU time on a quiet machine; on a loaded one the run thread may get less than its CPU budget in its wall.
    assertTrue(java.util.Set.of(LimitKind.CPU_TIME, LimitKind.WALL_TIME).contains(r.limit().kind()), r.limit().detail());
    assertEquals(2, run("return 1+1").result().asInt());
  }

  @Test
  void computesWithTheOptimizingRuntime() {
    RunResult r = run("function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) } return fib(25)");
    assertEquals(RunStatus.OK, r.status(), () -> String.valueOf(r.error()));
    assertEquals(75025, r.result().asInt());
  }
}
