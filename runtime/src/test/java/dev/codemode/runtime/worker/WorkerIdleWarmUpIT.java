package dev.codemode.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.RuntimeSettings;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.TestRuns;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An idle worker goes on warming up between runs, and the runs that arrive meanwhile are answered as ever. */
class WorkerIdleWarmUpIT {

  @Test
  void anIdleWorkerWarmsUpAndRunsArrivingMeanwhileSeeOnlyTheirOwnFreshContext() throws Exception {
    try (WorkerPoolRunner runner = (WorkerPoolRunner) Runners.create(new RuntimeSettings(
        RuntimeSettings.Isolation.PROCESS, RuntimeSettings.Jail.BWRAP, 1, 8, 1, 100), TestRuns.profile(TestRuns.limits()))) {
      assertTrue(runner.awaitWarm(60_000));
      assertEquals(RunStatus.OK, runner.run(TestRuns.request("return 1")).status());
      ProcessHandle jvm = WorkerFixture.javaOf(runner.idleWorkers().get(0));
      Duration before = jvm.info().totalCpuDuration().orElseThrow();
      Thread.sleep(2_000);
      Duration idleCpu = jvm.info().totalCpuDuration().orElseThrow().minus(before);
      // Warming up is real work: an idle JVM that only waits on its pipe uses next to no CPU.
      assertTrue(idleCpu.toMillis() >= 200, "CPU used while idle: " + idleCpu.toMillis() + " ms");
      for (int i = 0; i < 30; i++) {
        RunResult r = runner.run(TestRuns.request(
            "globalThis.n = (globalThis.n ?? 0) + 1; console.log('run'); return [n, typeof rows, typeof out]"));
        assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
        assertEquals("[1,\"undefined\",\"undefined\"]", r.result().toString());
        assertEquals("run\n", r.console());
        Thread.sleep(i % 3 == 0 ? 60 : 0); // some arrive while a warm-up run is in progress
      }
      assertEquals(1, runner.workers().size(), "the worker was never replaced");
    }
  }
}
