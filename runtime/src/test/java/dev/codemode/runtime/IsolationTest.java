package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Nothing one run does survives into the next. */
class IsolationTest extends RunnerFixture {
  @Test
  void globalsAndIntrinsicsAreFreshEveryRun() {
    RunResult poison = run("globalThis.leak = 'secret'; Object.prototype.polluted = 1; Array.prototype.push = null;"
        + " JSON.parse = () => 'evil'; console.log = () => {}; return 'planted'");
    assertEquals(RunStatus.OK, poison.status());
    RunResult next = run("const a = []; a.push(1); console.log('still logs');"
        + " return [typeof leak, ({}).polluted, JSON.parse('2'), a.length]");
    assertEquals("[\"undefined\",null,2,1]", next.result().toString());
    assertEquals("still logs\n", next.console());
  }

  @Test
  void profilesWithDifferentAstDepthLimitsCanRunSideBySide() {
    // Regression: GraalJS refuses two contexts with different sandbox.MaxASTDepth on one engine.
    dev.codemode.policies.ProcLimits a = TestRuns.limits();
    dev.codemode.policies.ProcLimits b = new dev.codemode.policies.ProcLimits(a.wallMs(), a.cpuMs(), a.memMb(),
        a.maxOutputBytes(), a.maxResultBytes(), a.maxStatements(), a.maxStackFrames(), a.maxAstDepth() + 50);
    assertEquals(RunStatus.OK, runner.run(TestRuns.request("return 1", a, HostBridge.NONE)).status());
    assertEquals(RunStatus.OK, runner.run(TestRuns.request("return 2", b, HostBridge.NONE)).status());
  }

  @Test
  void aRunSentRightAfterTheLastOneEndsIsNotRefusedWithNoQueue() {
    // Regression: with queue_capacity 0 the executor refused a run sent before its thread was back waiting.
    try (SandboxRunner tight = SandboxRunner.builder().maxConcurrentRuns(1).queueCapacity(0).build()) {
      for (int i = 0; i < 50; i++) {
        assertEquals(RunStatus.OK, tight.run(TestRuns.request("return " + i)).status());
      }
    }
  }
}
