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

  @Test
  void aContextPreparedAheadBelongsToOneRunOnly() throws Exception {
    // Runs with the same profile and limits take contexts prepared in the background: each must start
    // with its own empty journal and files, and a run's denials and console never reach the next one.
    for (int i = 0; i < 20; i++) {
      RunResult a = run("try { await fs.readFile('/etc/passwd') } catch (e) {} await fs.writeFile('mine.txt', 'a');"
          + " console.log('run a'); return 'a'");
      assertEquals(1, a.denials().size(), a.denials().toString());
      Thread.sleep(5);
      RunResult b = run("return [await fs.readdir('/workspace'), await fs.readdir('/workspace/out'), typeof leaked]");
      assertEquals("[[\"out\"],[],\"undefined\"]", b.result().toString());
      assertEquals(0, b.denials().size(), b.denials().toString());
      assertEquals("", b.console());
    }
  }
}
