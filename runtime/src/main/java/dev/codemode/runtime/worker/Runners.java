package dev.codemode.runtime.worker;

import dev.codemode.policies.Profile;
import dev.codemode.policies.RuntimeSettings;
import dev.codemode.runtime.Runner;
import dev.codemode.runtime.SandboxRunner;
import dev.codemode.runtime.Walls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Builds the runner the {@code runtime} settings ask for. {@code isolation: process} uses worker JVMs;
 * {@code in-process} the weaker shared-JVM mode; {@code auto} worker JVMs too, and in process only when
 * no worker JVM can start at all. {@code jail: bwrap} fails start-up when bubblewrap cannot run a worker;
 * {@code auto} falls back to unjailed workers (separate JVM, cleared environment, rlimits) with a loud
 * warning; {@code none} never jails. The chosen {@link Walls} are logged once, up and down.
 * {@code jit: on} runs workers on the pinned JDK and Graal jars with the optimizing runtime and fails start-up
 * where they are missing; {@code auto} does so where they are present, else says once why it runs interpreted;
 * runs in process always run interpreted.
 */
public final class Runners {
  private static final System.Logger LOG = System.getLogger(Runners.class.getName());

  private Runners() {}

  /**
   * Starts the runner the settings ask for without waiting for its walls where nothing can make start-up
   * fail ({@code isolation: auto} with {@code jail: auto} or {@code none}): the first worker and its jail
   * come up on a thread of their own and runs wait for them. Where a wall is required ({@code isolation:
   * process}, {@code jail: bwrap}) the walls are found before this returns, so a server that cannot have
   * them never answers a client.
   */
  public static StartingRunner start(RuntimeSettings s, Profile warm) {
    boolean cannotFail = s.isolation() == RuntimeSettings.Isolation.AUTO && s.jail() != RuntimeSettings.Jail.BWRAP;
    return cannotFail ? StartingRunner.inBackground(() -> create(s, warm)) : StartingRunner.of(create(s, warm));
  }

  /**
   * {@code warm}: the profile the pre-warmed workers are ready for (the {@code default} profile): its
   * {@code mem_mb} is their heap, its engine is warmed before they take runs.
   */
  public static Runner create(RuntimeSettings s, Profile warm) {
    Runner r = choose(s, warm);
    Walls w = r.walls();
    LOG.log(w.workerProcess() && w.jail() ? System.Logger.Level.INFO : System.Logger.Level.WARNING, w.statement());
    return r;
  }

  private static Runner choose(RuntimeSettings s, Profile warm) {
    if (s.isolation() == RuntimeSettings.Isolation.IN_PROCESS) {
      if (s.jit() == RuntimeSettings.Jit.ON) {
        throw new IllegalStateException("runtime.jit is on, but runtime.isolation is in-process: only worker JVMs run"
            + " the optimizing JIT (set isolation process or auto, or jit auto)");
      }
      return inProcess(s);
    }
    boolean auto = s.isolation() == RuntimeSettings.Isolation.AUTO;
    boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    Path javaHome = Path.of(System.getProperty("java.home"));
    List<Path> classpath = WorkerClasspath.current();
    JitRuntime jit = jit(s.jit(), classpath);
    if (jit != null) {
      javaHome = jit.javaHome();
      classpath = jit.workerClasspath(classpath);
    }
    Path prlimit = WorkerLauncher.findTool("prlimit");
    String jailDown = "runtime.jail none";
    if (s.jail() != RuntimeSettings.Jail.NONE) {
      try {
        return pool(s, new WorkerLauncher(javaHome, classpath, prlimit, jail(linux, javaHome, classpath, jit, prlimit), warm,
            !s.oneShot(), jit),
            warm, null);
      } catch (IOException | RuntimeException e) {
        if (s.jail() == RuntimeSettings.Jail.BWRAP) {
          throw new IllegalStateException("runtime.jail is bwrap, but a jailed worker could not start: " + e.getMessage(), e);
        }
        jailDown = "bubblewrap could not start a worker: " + e.getMessage();
        LOG.log(System.Logger.Level.WARNING, "!!! SECOND WALL DOWN: runtime.jail auto could not start a bubblewrap"
            + " jail ({0}); workers run WITHOUT a jail (own JVM, own heap, rlimits, cleared environment); the"
            + " container or pod is the outer wall", e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the first worker", e);
      }
    } else {
      LOG.log(System.Logger.Level.WARNING, "runtime.jail none: workers run WITHOUT an OS jail");
    }
    try {
      return pool(s, new WorkerLauncher(javaHome, classpath, prlimit, null, warm, !s.oneShot(), jit), warm, jailDown);
    } catch (IOException | RuntimeException e) {
      if (!auto) {
        throw new IllegalStateException("runtime.isolation is process, but a worker could not start: " + e.getMessage(), e);
      }
      LOG.log(System.Logger.Level.WARNING, "!!! WORKER WALL DOWN: runtime.isolation auto could not start a worker JVM"
          + " ({0}); running in process (the weaker mode)", e.getMessage());
      return inProcess(s);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the first worker", e);
    }
  }

  /** The JIT runtime {@code mode} asks for and this machine has, or null (interpreted workers, said once in the log). */
  static JitRuntime jit(RuntimeSettings.Jit mode, List<Path> appClasspath) {
    if (mode == RuntimeSettings.Jit.OFF) {
      return null;
    }
    JitRuntime.Resolution r = JitRuntime.resolve(appClasspath);
    if (r instanceof JitRuntime.Found found) {
      return found.runtime();
    }
    String why = ((JitRuntime.Missing) r).reason();
    if (mode == RuntimeSettings.Jit.ON) {
      throw new IllegalStateException("runtime.jit is on, but the optimizing JIT cannot run here: " + why);
    }
    LOG.log(System.Logger.Level.INFO, "runtime.jit auto: workers run interpreted: {0}", why);
    return null;
  }

  static BwrapJail jail(boolean linux, Path javaHome, List<Path> classpath, JitRuntime jit, Path prlimit)
      throws IOException {
    Path bwrap = WorkerLauncher.findTool("bwrap");
    if (!linux || bwrap == null || prlimit == null) {
      throw new IOException((linux ? "" : "not Linux; ") + (bwrap == null ? "bwrap not found; " : "")
          + (prlimit == null ? "prlimit not found" : ""));
    }
    return new BwrapJail(bwrap, javaHome.toRealPath(), classpath, jit == null ? List.of() : jit.upgradeModulePath(),
        WorkerLauncher.ENVIRONMENT);
  }

  /** {@code jailDown}: null when {@code launcher} jails its workers, else why it does not. */
  private static WorkerPoolRunner pool(RuntimeSettings s, WorkerLauncher launcher, Profile warm, String jailDown)
      throws IOException, InterruptedException {
    int warmMemMb = warm.proc().memMb();
    WorkerPool pool = new WorkerPool(launcher, s.workerPoolSize(), s.workerMaxRuns(), warmMemMb, !s.oneShot());
    String text = "isolation process (worker JVMs, -Xmx " + warmMemMb + " MB, "
        + (s.oneShot() ? "one worker for one run" : "pool " + s.workerPoolSize() + ", recycled after " + s.workerMaxRuns()
        + " runs") + "), " + launcher.describe();
    return new WorkerPoolRunner(pool, text, new Walls(true, jailDown == null, jailDown), s.maxConcurrentRuns(),
        s.queueCapacity());
  }

  private static Runner inProcess(RuntimeSettings s) {
    if (QuickStartCompiler.active()) {
      LOG.log(System.Logger.Level.WARNING, "in-process isolation runs agent code in this JVM, which was started"
          + " with -XX:TieredStopAtLevel=1 (bin/codemode's default for worker isolation): compute-heavy runs are"
          + " several times slower; set CODEMODE_JAVA_OPTS=-XX:TieredStopAtLevel=4 for the optimizing compiler");
    }
    return SandboxRunner.builder().maxConcurrentRuns(s.maxConcurrentRuns()).queueCapacity(s.queueCapacity()).build();
  }
}
