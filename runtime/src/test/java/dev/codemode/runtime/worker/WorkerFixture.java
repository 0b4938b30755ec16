package dev.codemode.runtime.worker;

import dev.codemode.policies.RuntimeSettings;
import dev.codemode.runtime.Runner;
import dev.codemode.runtime.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** One jailed worker pool shared by the worker tests, as the server has one per process. */
final class WorkerFixture {
  private static WorkerPoolRunner runner;

  private WorkerFixture() {}

  /** Pool of 2, 3 runs at once, 256 MB workers, jail bwrap (start-up fails if the jail cannot run). */
  static synchronized WorkerPoolRunner runner() {
    if (runner == null) {
      Runner r = Runners.create(new RuntimeSettings(RuntimeSettings.Isolation.PROCESS, RuntimeSettings.Jail.BWRAP, 3, 8, 2, 100), TestRuns.profile(TestRuns.limits()));
      runner = (WorkerPoolRunner) r;
      Runtime.getRuntime().addShutdownHook(new Thread(r::close));
    }
    return runner;
  }

  /** The worker JVM itself: the descendant of a worker process whose command line runs WorkerMain. */
  static ProcessHandle javaOf(WorkerProcess w) {
    return w.handle().descendants().filter(WorkerFixture::isWorkerJvm).findFirst()
        .or(() -> isWorkerJvm(w.handle()) ? Optional.of(w.handle()) : Optional.empty())
        .orElseThrow(() -> new AssertionError("no worker JVM under " + w.pid()));
  }

  private static boolean isWorkerJvm(ProcessHandle p) {
    try {
      String cmdline = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"));
      return cmdline.contains(WorkerLauncher.MAIN_CLASS) && cmdline.startsWith(Path.of(System.getProperty("java.home"))
          .toRealPath().resolve("bin/java").toString());
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** Starts {@code request} on another thread and returns it with the worker that took it. */
  static java.util.Map.Entry<java.util.concurrent.CompletableFuture<dev.codemode.runtime.RunResult>, ProcessHandle> started(
      dev.codemode.runtime.RunRequest request) throws InterruptedException {
    var result = java.util.concurrent.CompletableFuture.supplyAsync(() -> runner().run(request));
    WorkerProcess w = null;
    for (int i = 0; i < 2400 && w == null && !result.isDone(); i++) {
      Thread.sleep(25);
      w = runner().workerOf(request.runId());
    }
    if (w == null) {
      throw new AssertionError("no worker took run " + request.runId());
    }
    return java.util.Map.entry(result, w.handle());
  }

  static List<WorkerProcess> idle() {
    return runner().idleWorkers().stream().filter(WorkerProcess::alive).toList();
  }
}
