package dev.codemode.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.RuntimeSettings;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.TestRuns;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A worker that has served a run goes on warming up while idle (a spare does not); runs arriving meanwhile are answered as ever. */
class WorkerIdleWarmUpIT {

  private static long cpuMsOver(ProcessHandle jvm, long ms) throws InterruptedException {
    Duration before = jvm.info().totalCpuDuration().orElseThrow();
    Thread.sleep(ms);
    return jvm.info().totalCpuDuration().orElseThrow().minus(before).toMillis();
  }

  @Test
  void anIdleWorkerWarmsUpAndRunsArrivingMeanwhileSeeOnlyTheirOwnFreshContext() throws Exception {
    try (WorkerPoolRunner runner = (WorkerPoolRunner) Runners.create(new RuntimeSettings(
        RuntimeSettings.Isolation.PROCESS, RuntimeSettings.Jail.BWRAP, 1, 8, 1, 100), TestRuns.profile(TestRuns.limits()))) {
      assertTrue(runner.awaitWarm(60_000));
      ProcessHandle jvm = WorkerFixture.javaOf(runner.idleWorkers().get(0));
      Thread.sleep(1_000); // the JIT's queue from the warm-up before ready drains
      long spareMs = cpuMsOver(jvm, 1_500);
      assertEquals(RunStatus.OK, runner.run(TestRuns.request("return 1")).status());
      long warmingMs = cpuMsOver(jvm, 1_500);
      // Warming up is real work; a spare worker that has not served a run only waits on its pipe.
      assertTrue(warmingMs >= 200 && warmingMs >= 3 * spareMs,
          "CPU while idle: " + spareMs + " ms as a spare, " + warmingMs + " ms after its first run");
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
