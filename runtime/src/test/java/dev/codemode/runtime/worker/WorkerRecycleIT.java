package dev.codemode.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.RuntimeSettings;
import dev.codemode.runtime.RunRejectedException;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.Runner;
import dev.codemode.runtime.SandboxRunner;
import dev.codemode.runtime.TestRuns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Pool policy and mode selection: recycling after worker_max_runs, jail none, isolation auto and in-process. */
class WorkerRecycleIT {
  private static final dev.codemode.policies.Profile WARM = TestRuns.profile(TestRuns.limits());

  @Test
  void aWorkerIsRecycledAfterItsMaxRunsAndAnUnjailedWorkerStillGetsACleanEnvironment() throws Exception {
    try (WorkerPoolRunner runner = (WorkerPoolRunner) Runners.create(new RuntimeSettings("process", "none", 1, 0, 1, 2), WARM)) {
      assertTrue(runner.awaitWarm(120_000));
      WorkerProcess first = runner.workers().get(0);
      assertTrue(runner.describe().contains("jail none"), runner.describe());
      Set<String> env = new TreeSet<>();
      for (String e : Files.readString(Path.of("/proc/" + first.pid() + "/environ"), StandardCharsets.ISO_8859_1).split("\0")) {
        if (!e.isEmpty()) {
          env.add(e);
        }
      }
      Set<String> expected = new TreeSet<>();
      WorkerLauncher.ENVIRONMENT.forEach((k, v) -> expected.add(k + "=" + v));
      assertEquals(expected, env);
      assertEquals(RunStatus.OK, runner.run(TestRuns.request("return 1")).status());
      assertTrue(first.alive(), "recycled too early");
      assertEquals(RunStatus.OK, runner.run(TestRuns.request("return 2")).status());
      first.exit().get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertFalse(first.alive(), "a worker served more than worker_max_runs runs");
      assertEquals(3, runner.run(TestRuns.request("return 3")).result().asInt());
    }
  }

  @Test
  void aFullQueueIsRefusedAsBusy() throws Exception {
    try (WorkerPoolRunner runner = (WorkerPoolRunner) Runners.create(new RuntimeSettings("process", "none", 1, 0, 1, 100), WARM)) {
      var slow = java.util.concurrent.CompletableFuture.supplyAsync(() -> runner.run(TestRuns.request(
          "while (true) {}", new dev.codemode.policies.ProcLimits(1500, 60_000, 256, 4096, 65_536, Long.MAX_VALUE / 2, 500, 200),
          dev.codemode.runtime.HostBridge.NONE)));
      for (int i = 0; i < 400 && runner.activeRunIds().isEmpty(); i++) {
        Thread.sleep(25);
      }
      try {
        runner.run(TestRuns.request("return 1"));
        throw new AssertionError("a run past the queue was accepted");
      } catch (RunRejectedException expected) {
        assertTrue(expected.getMessage().startsWith("busy"), expected.getMessage());
      }
      assertEquals(RunStatus.LIMIT, slow.get(30, java.util.concurrent.TimeUnit.SECONDS).status());
    }
  }

  @Test
  void isolationAutoPicksJailedWorkersWhereBubblewrapWorksAndInProcessIsStillThere() {
    try (Runner auto = Runners.create(new RuntimeSettings("auto", "auto", 1, 0, 1, 100), WARM)) {
      assertTrue(auto instanceof WorkerPoolRunner, auto.describe());
      assertTrue(auto.describe().contains("jail bwrap"), auto.describe());
      assertEquals(RunStatus.OK, auto.run(TestRuns.request("return 1")).status());
    }
    try (Runner inProcess = Runners.create(new RuntimeSettings("in-process", "auto", 1, 0, 1, 100), WARM)) {
      assertTrue(inProcess instanceof SandboxRunner, inProcess.describe());
    }
  }
}
