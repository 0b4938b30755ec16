package dev.codemode.runtime.worker;

import dev.codemode.policies.Profile;
import dev.codemode.policies.RuntimeSettings;
import dev.codemode.runtime.Runner;
import dev.codemode.runtime.SandboxRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Builds the runner the {@code runtime} settings ask for. {@code isolation: process} uses worker JVMs;
 * {@code in-process} the weaker shared-JVM mode; {@code auto} workers on Linux when the jail works, else
 * in process. {@code jail: bwrap} fails start-up when bubblewrap cannot run a worker; {@code auto} falls
 * back to no jail with a loud warning; {@code none} never jails.
 */
public final class Runners {
  private static final System.Logger LOG = System.getLogger(Runners.class.getName());

  private Runners() {}

  /**
   * {@code warm}: the profile the pre-warmed workers are ready for (the {@code default} profile): its
   * {@code mem_mb} is their heap, its engine is warmed before they take runs.
   */
  public static Runner create(RuntimeSettings s, Profile warm) {
    int warmMemMb = warm.proc().memMb();
    boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    if (s.isolation() == RuntimeSettings.Isolation.IN_PROCESS) {
      return inProcess(s);
    }
    boolean auto = s.isolation() == RuntimeSettings.Isolation.AUTO;
    if (auto && !linux) {
      LOG.log(System.Logger.Level.WARNING, "runtime.isolation auto: not Linux, running in process (the weaker mode)");
      return inProcess(s);
    }
    Path javaHome = Path.of(System.getProperty("java.home"));
    List<Path> classpath = WorkerClasspath.current();
    Path prlimit = WorkerLauncher.findTool("prlimit");
    if (s.jail() != RuntimeSettings.Jail.NONE) {
      try {
        return pool(s, new WorkerLauncher(javaHome, classpath, prlimit, jail(linux, javaHome, classpath, prlimit), warm),
            warmMemMb);
      } catch (IOException | RuntimeException e) {
        if (s.jail() == RuntimeSettings.Jail.BWRAP) {
          throw new IllegalStateException("runtime.jail is bwrap, but a jailed worker could not start: " + e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.WARNING, "!!! SECOND WALL DOWN: runtime.jail auto could not start a bubblewrap"
            + " jail ({0}); " + (auto ? "running in process (the weaker mode)" : "workers run WITHOUT a jail"),
            e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the first worker", e);
      }
    } else {
      LOG.log(System.Logger.Level.WARNING, "runtime.jail none: workers run WITHOUT an OS jail");
    }
    if (auto) {
      return inProcess(s);
    }
    try {
      return pool(s, new WorkerLauncher(javaHome, classpath, prlimit, null, warm), warmMemMb);
    } catch (IOException e) {
      throw new IllegalStateException("runtime.isolation is process, but a worker could not start: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the first worker", e);
    }
  }

  private static BwrapJail jail(boolean linux, Path javaHome, List<Path> classpath, Path prlimit) throws IOException {
    Path bwrap = WorkerLauncher.findTool("bwrap");
    if (!linux || bwrap == null || prlimit == null) {
      throw new IOException((linux ? "" : "not Linux; ") + (bwrap == null ? "bwrap not found; " : "")
          + (prlimit == null ? "prlimit not found" : ""));
    }
    return new BwrapJail(bwrap, javaHome.toRealPath(), classpath, WorkerLauncher.ENVIRONMENT);
  }

  private static WorkerPoolRunner pool(RuntimeSettings s, WorkerLauncher launcher, int warmMemMb)
      throws IOException, InterruptedException {
    WorkerPool pool = new WorkerPool(launcher, s.workerPoolSize(), s.workerMaxRuns(), warmMemMb);
    String text = "isolation process (worker JVMs, -Xmx " + warmMemMb + " MB, pool " + s.workerPoolSize()
        + ", recycled after " + s.workerMaxRuns() + " runs), " + launcher.describe();
    return new WorkerPoolRunner(pool, text, s.maxConcurrentRuns(), s.queueCapacity());
  }

  private static Runner inProcess(RuntimeSettings s) {
    return SandboxRunner.builder().maxConcurrentRuns(s.maxConcurrentRuns()).queueCapacity(s.queueCapacity()).build();
  }
}
