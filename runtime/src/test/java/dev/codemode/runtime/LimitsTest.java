package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.ProcLimits;
import org.junit.jupiter.api.Test;

/** Every limit is enforced from the host and ends the run with status limit and the limit's name. */
class LimitsTest extends RunnerFixture {

  private static RunResult runWith(String code, ProcLimits limits) {
    return under.run(TestRuns.request(code, limits, HostBridge.NONE));
  }

  private static void assertLimit(RunResult r, LimitKind kind) {
    assertEquals(RunStatus.LIMIT, r.status(), () -> "error=" + r.error() + " limit=" + r.limit());
    assertNotNull(r.limit());
    assertEquals(kind, r.limit().kind(), r.limit().detail());
    assertEquals(1 + 1, run("return 1+1").result().asInt(), "the runner still works after " + kind);
  }

  @Test
  void wallTimeEndsABlockedRunWithinItsBudget() {
    // Statements and CPU are generous, so only the watchdog can end this loop in time.
    ProcLimits l = new ProcLimits(800, 60_000, 256, 4096, 65_536, Long.MAX_VALUE / 2, 500, 200);
    long t0 = System.nanoTime();
    RunResult r = runWith("while (true) {}", l);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertLimit(r, LimitKind.WALL_TIME);
    assertTrue(ms < 5_000, "took " + ms + " ms");
    assertTrue(r.limit().detail().contains("800 ms"), r.limit().detail());
  }

  @Test
  void cpuTime() {
    ProcLimits l = new ProcLimits(20_000, 500, 256, 4096, 65_536, Long.MAX_VALUE / 2, 500, 200);
    assertLimit(runWith("let i = 0; while (true) { i++ }", l), LimitKind.CPU_TIME);
  }

  @Test
  void loopInFinallyWithCatchAndContinue() {
    ProcLimits l = new ProcLimits(20_000, 500, 256, 4096, 65_536, Long.MAX_VALUE / 2, 500, 200);
    RunResult r = runWith("for(;;) { try { throw new Error('x') } catch (e) { continue } finally { } }", l);
    assertLimit(r, LimitKind.CPU_TIME);
    r = runWith("try { return 1 } finally { while (true) {} }", l);
    assertLimit(r, LimitKind.CPU_TIME);
  }

  @Test
  void statements() {
    ProcLimits l = new ProcLimits(20_000, 20_000, 256, 4096, 65_536, 10_000, 500, 200);
    assertLimit(runWith("for (let i = 0; i < 1e9; i++) {}", l), LimitKind.STATEMENTS);
  }

  @Test
  void stackFramesEvenWhenTheGuestCatches() {
    assertLimit(run("function f() { return f() + 1 } return f()"), LimitKind.STACK);
    assertLimit(run("function f() { try { return f() } catch (e) { return f() } } return f()"), LimitKind.STACK);
  }

  @Test
  void astDepth() {
    String deep = "return " + "[".repeat(400) + "]".repeat(400);
    assertLimit(run(deep), LimitKind.AST_DEPTH);
  }

  @Test
  void resultBytes() {
    assertLimit(run("return 'x'.repeat(100000)"), LimitKind.OUTPUT);
    assertLimit(run("return Array.from({length: 50000}, (_, i) => ({i}))"), LimitKind.OUTPUT);
  }

  @Test
  void microtaskLoopIsEndedByCpuTime() {
    ProcLimits l = new ProcLimits(20_000, 500, 256, 4096, 65_536, Long.MAX_VALUE / 2, 500, 200);
    assertLimit(runWith("const spin = () => Promise.resolve().then(spin); spin(); await new Promise(() => {})", l),
        LimitKind.CPU_TIME);
  }

  @Test
  void memoryBombIsEndedByTheHeapGuard() {
    ProcLimits l = new ProcLimits(60_000, 60_000, 256, 4096, 65_536, Long.MAX_VALUE / 2, 500, 200);
    RunResult r = runWith("let a = []; for (;;) a.push(new Array(1e6).fill(1))", l);
    assertLimit(r, LimitKind.MEMORY);
  }

  @Test
  void aRunRightAfterAMemoryBombIsNotBlamedForItsGarbage() {
    // Regression: the guard once ended the next run because the bomb's garbage still filled the heap.
    ProcLimits l = new ProcLimits(60_000, 60_000, 256, 4096, 65_536, Long.MAX_VALUE / 2, 500, 200);
    assertEquals(RunStatus.LIMIT, runWith("let a = []; for (;;) a.push(new Array(1e6).fill(1))", l).status());
    RunResult next = runWith("let s = 0; for (let i = 0; i < 3e6; i++) s += i; return s", l);
    assertEquals(RunStatus.OK, next.status(), () -> String.valueOf(next.limit()));
  }

  @Test
  void tighterTimeoutOnlyLowersTheBudget() {
    ProcLimits base = TestRuns.limits();
    assertEquals(100, base.tightenWall(100L).wallMs());
    assertEquals(base.wallMs(), base.tightenWall(base.wallMs() * 10).wallMs());
  }
}
