package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Timers exist for retry and backoff code, run on the context's own thread, and are bounded by the run. */
class TimersTest extends RunnerFixture {
  @Test
  void awaitingATimeoutWorks() {
    RunResult r = run("const t0 = Date.now(); await new Promise(r => setTimeout(r, 50)); return Date.now() - t0 >= 45;");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals("true", r.result().toString());
  }

  @Test
  void timersFireInOrderWithTheirArgumentsAndClearsHold() {
    RunResult r = run("const seen = [];\n"
        + "setTimeout((a, b) => seen.push(a + b), 30, 'x', 'y');\n"
        + "setTimeout(() => seen.push('first'), 5);\n"
        + "const gone = setTimeout(() => seen.push('cleared'), 10); clearTimeout(gone);\n"
        + "queueMicrotask(() => seen.push('micro'));\n"
        + "let n = 0; await new Promise(done => { const iv = setInterval(() => { n++; if (n === 3) { clearInterval(iv); done(); } }, 5); });\n"
        + "await new Promise(r => setTimeout(r, 40));\n"
        + "return [seen, n];");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals("[[\"micro\",\"first\",\"xy\"],3]", r.result().toString());
  }

  @Test
  void retryWithBackoffRuns() {
    RunResult r = run("let tries = 0; const flaky = async () => { if (++tries < 4) throw new Error('busy'); return 'done'; };\n"
        + "for (let i = 0; ; i++) { try { return [await flaky(), tries]; } catch (e) { await new Promise(r => setTimeout(r, 2 ** i)); } }");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals("[\"done\",4]", r.result().toString());
  }

  @Test
  void tenThousandPendingTimersEndInAClearLimit() {
    RunResult r = run("for (let i = 0; i < 10000; i++) setTimeout(() => {}, 60000);\nreturn 'not reached';");
    assertEquals(RunStatus.LIMIT, r.status(), String.valueOf(r.error()));
    assertEquals(LimitKind.TIMERS, r.limit().kind());
    assertTrue(r.limit().detail().contains(RunTimers.MAX_PENDING + " timers pending"), r.limit().detail());
  }

  @Test
  void aTimerBeyondTheWallBudgetEndsAsWallTime() {
    RunResult r = runner.run(TestRuns.request("await new Promise(r => setTimeout(r, 60000)); return 1;",
        TestRuns.limits().tightenWall(300L), dev.codemode.runtime.HostBridge.NONE));
    assertEquals(RunStatus.LIMIT, r.status());
    assertEquals(LimitKind.WALL_TIME, r.limit().kind());
  }

  @Test
  void anIntervalLeftRunningEndsWithTheRun() {
    RunResult r = run("let n = 0; setInterval(() => n++, 1); await new Promise(r => setTimeout(r, 20)); return n > 0;");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    RunResult next = run("return typeof setTimeout");
    assertEquals("\"function\"", next.result().toString());
  }

  @Test
  void anErrorThrownInATimerEndsTheRunWithIt() {
    RunResult r = run("setTimeout(() => { throw new TypeError('late') }, 1); await new Promise(r => setTimeout(r, 200)); return 1;");
    assertEquals(RunStatus.ERROR, r.status());
    assertEquals("TypeError", r.error().type());
  }
}
