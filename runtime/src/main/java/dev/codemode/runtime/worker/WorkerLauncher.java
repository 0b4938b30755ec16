package dev.codemode.runtime.worker;

import dev.codemode.policies.Profile;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts worker JVMs: the JVM flags that make {@code mem_mb} a hard heap limit and an
 * OutOfMemoryError an exit, the rlimits ({@code prlimit}), the jail ({@link BwrapJail}) or none, and a
 * pids cgroup per worker ({@link PidsCgroup}) where one can be made. The environment is always exactly
 * {@link #ENVIRONMENT}, jailed or not.
 */
final class WorkerLauncher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(WorkerLauncher.class.getName());
  private static final long TRAINING_TIMEOUT_MS = 180_000;
  /** The whole environment of a worker: nothing of the server's own environment reaches it. */
  static final Map<String, String> ENVIRONMENT = orderedEnv();
  static final String MAIN_CLASS = WorkerMain.class.getName();
  static final long MAX_FILE_BYTES = 64L << 20;
  static final int MAX_OPEN_FILES = 1024;
  static final int MAX_PROCESSES = 512;
  /** Tasks (processes and threads) of one worker at most, where a pids cgroup can be made. */
  static final int MAX_TASKS = 256;
  /**
   * Run by {@code sh} before prlimit and bwrap: joins the worker's pids cgroup ($1, when set) and opens
   * the seccomp program ($0, when set) as the descriptor bwrap reads; a step that fails stops the start.
   * It unsets the PWD that sh exports, so the worker's environment stays exactly {@link #ENVIRONMENT}.
   */
  static final String ENTER_SCRIPT = "unset PWD; if [ -n \"$1\" ]; then echo $$ > \"$1\" || exit 125; fi; "
      + "if [ -n \"$0\" ]; then exec " + BwrapJail.SECCOMP_FD + "< \"$0\" || exit 125; fi; shift; exec \"$@\"";
  /** Address space beyond the heap: code cache, metaspace, class space, thread stacks, malloc arenas. */
  static final long ADDRESS_SPACE_OVERHEAD_MB = 3072;

  private final Path java;
  private final List<Path> classpath;
  private final Path prlimit;
  private final BwrapJail jail;
  private final Path shell;
  private final PidsCgroup pids;
  private final List<String> warmArgs;
  private final ClassArchive archive;
  private final JitRuntime jit;

  /**
   * {@code jail} null: no jail (a separate JVM with a clean environment and rlimits only). Workers warm
   * the engine of {@code warm} (its name and AST depth) before they report ready.
   */
  WorkerLauncher(Path javaHome, List<Path> classpath, Path prlimit, BwrapJail jail, Profile warm) {
    this(javaHome, classpath, prlimit, jail, warm, true);
  }

  /** As above; without {@code warmUp} workers report ready at once (a one-shot run builds its engine itself). */
  WorkerLauncher(Path javaHome, List<Path> classpath, Path prlimit, BwrapJail jail, Profile warm, boolean warmUp) {
    this(javaHome, classpath, prlimit, jail, warm, warmUp, null);
  }

  /**
   * As above; with {@code jit} set, workers run on its JDK with its jars and the optimizing runtime
   * ({@code javaHome} and {@code classpath} are then the ones it gives, the jail built from them).
   */
  WorkerLauncher(Path javaHome, List<Path> classpath, Path prlimit, BwrapJail jail, Profile warm, boolean warmUp,
      JitRuntime jit) {
    this.jit = jit;
    this.warmArgs = warmUp ? List.of(warm.name(), Integer.toString(warm.proc().maxAstDepth()))
        : List.of(warm.name(), Integer.toString(warm.proc().maxAstDepth()), WarmUp.COLD);
    this.java = javaHome.resolve("bin").resolve("java");
    this.classpath = List.copyOf(classpath);
    this.prlimit = prlimit;
    this.jail = jail;
    this.shell = findTool("sh");
    if (jail != null && shell == null) {
      throw new IllegalStateException("no sh in /usr/bin or /bin: the jail's seccomp program cannot be handed to bwrap");
    }
    this.pids = shell == null ? null : PidsCgroup.create(MAX_TASKS);
    ClassArchive a;
    try {
      // The JVM refuses a class archive together with --upgrade-module-path: JIT workers start without one.
      // Jailed workers see the class path at other paths than unjailed ones: each kind keeps its own archive.
      Path kept = ClassArchive.keptByLauncher();
      a = jit != null ? null
          : new ClassArchive(kept == null || jail != null ? kept : kept.resolveSibling("unjailed-" + kept.getFileName()), classpath);
    } catch (IOException e) {
      a = null;
    }
    this.archive = a;
  }

  private static Map<String, String> orderedEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LANG", "C.UTF-8");
    env.put("MALLOC_ARENA_MAX", "2");
    return Collections.unmodifiableMap(env);
  }

  /** Whether new workers start from the class archive. */
  boolean archiveReady() {
    return archive != null && archive.ready();
  }

  String describe() {
    return (jit != null ? jit.describe() + ", " : "") + (jail != null ? "jail bwrap (" + jail.binary() + ", seccomp deny list)" : "jail none")
        + (prlimit != null ? ", rlimits via " + prlimit : ", no rlimits (prlimit not found)")
        + (pids != null ? ", " + pids.describe() : ", no pids cgroup (tasks bounded by the pid namespace only)");
  }

  WorkerProcess start(int memMb) throws IOException {
    Path procs = pids == null ? null : pids.enter();
    WorkerProcess w;
    try {
      w = WorkerProcess.start(command(memMb, false, procs), ENVIRONMENT, memMb);
    } catch (IOException | RuntimeException e) {
      if (procs != null) {
        pids.leave(procs);
      }
      throw e;
    }
    if (procs != null) {
      w.exit().whenComplete((code, error) -> pids.leave(procs));
    }
    return w;
  }

  /**
   * Runs one training worker (the warm-up only, no agent code; it exits at end of input) that writes the
   * class archive later workers start from. Returns whether the archive is ready.
   */
  boolean train(int memMb) {
    if (archive == null) {
      return false;
    }
    if (archive.ready()) {
      return true; // a kept archive, newer than the class path
    }
    if (!classpath.stream().allMatch(p -> p.toString().endsWith(".jar") && Files.isRegularFile(p))) {
      // CDS refuses class folders (a development class path): workers start without an archive.
      LOG.log(System.Logger.Level.INFO, "no worker class archive: the class path holds folders");
      return false;
    }
    try {
      ProcessBuilder pb = new ProcessBuilder(command(memMb, true, null))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().clear();
      pb.environment().putAll(ENVIRONMENT);
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(TRAINING_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return false;
      }
      boolean ok = p.exitValue() == 0 && archive.accept();
      LOG.log(ok ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
          ok ? "worker class archive ready: new workers start from it" : "no worker class archive (exit {0})",
          p.exitValue());
      return ok;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The whole command of a worker; {@code procs}: the {@code cgroup.procs} of its pids cgroup, or null. */
  List<String> command(int memMb, boolean training, Path procs) {
    List<String> cp = new ArrayList<>();
    boolean useArchive = !training && archive != null && archive.ready();
    if (jail != null) {
      cp.addAll(jail.classpath());
    } else {
      classpath.forEach(p -> cp.add(p.toString()));
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    // The whole heap from the start, half of it young: nearly everything a run allocates is garbage when the
    // run ends, so a large young generation lets a run's data die there instead of being copied and promoted
    // (a 2 MB JSON workload: 4x fewer collections, 5.1 s -> 2.2 s of pauses over 80 runs). The live data a
    // run may hold is unchanged (a full collection compacts both generations).
    cmd.addAll(List.of("-Xmx" + memMb + "m", "-Xms" + memMb + "m", "-XX:NewRatio=1", "-XX:MaxDirectMemorySize=32m",
        "-XX:+ExitOnOutOfMemoryError", "-XX:+DisplayVMOutputToStderr", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:ReservedCodeCacheSize=128m",
        "-XX:CompressedClassSpaceSize=128m", "-XX:MaxMetaspaceSize=256m", "-Xlog:disable", "-Xlog:all=warning:stderr",
        "-Dpolyglotimpl.AttachLibraryFailureAction=ignore", "-Dpolyglot.engine.WarnInterpreterOnly=false"));
    if (jail != null) {
      cmd.addAll(List.of("-Dpolyglot.engine.userResourceCache=" + BwrapJail.CACHE_DIR, "-Djava.io.tmpdir=/tmp"));
    }
    if (training) {
      cmd.add(ClassArchive.dumpFlag(jail != null ? ClassArchive.IN_JAIL : archive.trainingFile().toString()));
    } else if (useArchive) {
      cmd.add(ClassArchive.useFlag(jail != null ? ClassArchive.IN_JAIL : archive.file().toString()));
    }
    if (jit != null) {
      cmd.addAll(JitRuntime.jvmFlags(jail != null ? jail.upgradeModulePath()
          : jit.upgradeModulePath().stream().map(Path::toString).toList()));
    }
    if (jit != null || Runtime.version().feature() >= 23) {
      cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
    }
    cmd.addAll(List.of("-cp", String.join(File.pathSeparator, cp), MAIN_CLASS));
    cmd.addAll(warmArgs);
    List<String> binds = jail == null ? List.of()
        : training ? archive.writableBind() : useArchive ? archive.readOnlyBind() : List.of();
    return enclose(binds, procs, memMb, cmd);
  }

  /**
   * {@code inside} as every worker is started: {@code sh} joins the pids cgroup ({@code procs}, or null) and
   * opens the seccomp program, prlimit sets the rlimits, bwrap builds the jail with {@code binds} added.
   */
  List<String> enclose(List<String> binds, Path procs, int memMb, List<String> inside) {
    List<String> cmd = new ArrayList<>();
    if (jail != null || procs != null) {
      cmd.addAll(List.of(shell.toString(), "-c", ENTER_SCRIPT, jail == null ? "" : jail.seccompFile().toString(),
          procs == null ? "" : procs.toString()));
    }
    if (prlimit != null) {
      cmd.addAll(List.of(prlimit.toString(), "--nofile=" + MAX_OPEN_FILES, "--nproc=" + MAX_PROCESSES,
          "--fsize=" + MAX_FILE_BYTES, "--core=0", "--as=" + ((memMb + ADDRESS_SPACE_OVERHEAD_MB) << 20), "--"));
    }
    if (jail != null) {
      cmd.addAll(jail.prefix(binds));
    }
    cmd.addAll(inside);
    return cmd;
  }

  /** The pids cgroup workers are capped by, or null where none can be made. */
  PidsCgroup pids() {
    return pids;
  }

  @Override
  public void close() {
    if (archive != null) {
      archive.close();
    }
    if (pids != null) {
      pids.close();
    }
  }

  /** An executable by exact absolute path among the usual system folders, or null. */
  static Path findTool(String name) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin", "/sbin")) {
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
