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
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Pool policy and mode selection: recycling after worker_max_runs, jail none, isolation auto and in-process. */
class WorkerRecycleIT {
  private static final dev.codemode.policies.Profile WARM = TestRuns.profile(TestRuns.limits());

  @Test
  void aWorkerIsRecycledAfterItsMaxRunsAndAnUnjailedWorkerStillGetsACleanEnvironment() throws Exception {
    // Jars only (the worker needs none of the test classes), as in a packaged server: the class archive works.
    List<Path> jars = WorkerClasspath.current().stream().filter(p -> p.toString().endsWith(".jar")).toList();
    WorkerLauncher launcher = new WorkerLauncher(Path.of(System.getProperty("java.home")), jars,
        WorkerLauncher.findTool("prlimit"), null, WARM);
    try (WorkerPoolRunner runner = new WorkerPoolRunner(new WorkerPool(launcher, 1, 2, 256), "jail none",
        new dev.codemode.runtime.Walls(true, false, "runtime.jail none"), 1, 0)) {
      assertTrue(runner.awaitWarm(120_000));
      WorkerProcess first = runner.workers().get(0);
      Set<String> env = new TreeSet<>();
      for (String e : Files.readString(Path.of("/proc/" + first.pid() + "/environ"), StandardCharsets.ISO_8859_1).split("\0")) {
        if (!e.isEmpty()) {
          env.add(e);
        }
      }
      Set<String> expected = new TreeSet<>();
      WorkerLauncher.ENVIRONMENT.forEach((k, v) -> expected.add(k + "=" + v));
      assertEquals(expected, env);
      for (int i = 0; i < 720 && !launcher.archiveReady(); i++) {
        Thread.sleep(250);
      }
      assertTrue(launcher.archiveReady(), "the training worker wrote no class archive");
      assertEquals(RunStatus.OK, runner.run(TestRuns.request("return 1")).status());
      assertTrue(first.alive(), "recycled too early");
      assertEquals(RunStatus.OK, runner.run(TestRuns.request("return 2")).status());
      first.exit().get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertFalse(first.alive(), "a worker served more than worker_max_runs runs");
      assertEquals(3, runner.run(TestRuns.request("return 3")).result().asInt());
      // The replacement was started after the training worker wrote the class archive: it maps it.
      assertTrue(runner.awaitWarm(180_000));
      WorkerProcess replacement = runner.workers().stream().filter(w -> w != first).findFirst().orElseThrow();
      String cmdline = Files.readString(Path.of("/proc/" + replacement.pid() + "/cmdline")).replace('\0', ' ');
      assertTrue(cmdline.contains(" -XX:SharedArchiveFile="), cmdline);
      assertEquals(4, runner.run(TestRuns.request("return 4")).result().asInt());
    }
  }

  @Test
  void aFullQueueIsRefusedAsBusy() throws Exception {
    try (WorkerPoolRunner runner = (WorkerPoolRunner) Runners.create(new RuntimeSettings(RuntimeSettings.Isolation.PROCESS, RuntimeSettings.Jail.NONE, 1, 0, 1, 100), WARM)) {
      assertTrue(runner.describe().contains("jail none"), runner.describe());
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
    try (Runner auto = Runners.create(new RuntimeSettings(RuntimeSettings.Isolation.AUTO, RuntimeSettings.Jail.AUTO, 1, 0, 1, 100), WARM)) {
      assertTrue(auto instanceof WorkerPoolRunner, auto.describe());
      assertTrue(auto.describe().contains("jail bwrap"), auto.describe());
      assertEquals(RunStatus.OK, auto.run(TestRuns.request("return 1")).status());
    }
    try (Runner inProcess = Runners.create(new RuntimeSettings(RuntimeSettings.Isolation.IN_PROCESS, RuntimeSettings.Jail.AUTO, 1, 0, 1, 100), WARM)) {
      assertTrue(inProcess instanceof SandboxRunner, inProcess.describe());
    }
  }
}
