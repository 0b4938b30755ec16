package dev.codemode.runtime.worker;

import dev.codemode.policies.ProcLimits;
import dev.codemode.policies.Profile;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.runtime.RunRejectedException;
import dev.codemode.runtime.SandboxRunner;
import java.util.function.BooleanSupplier;

/**
 * Warms a worker JVM before it reports ready: builds the engine of the profile the host runs most and
 * runs a few hundred throw-away scripts on it, so the first agent runs do not pay for a cold engine
 * and the JIT has begun on the interpreter's hot paths. Bounded in time. After ready, it goes on between
 * agent runs, one throw-away run at a time while the worker is idle, up to a fixed number of runs: the JIT
 * needs a few thousand runs to reach full speed, and idle time on a warm pool is the cheap time to pay it.
 */
final class WarmUp {
  private static final int RUNS = 300;
  private static final long MAX_NANOS = 1_500_000_000L;
  /** The third argument that skips the warm-up: a worker for one run only gains nothing from it. */
  static final String COLD = "cold";
  private static final int IDLE_RUNS = 1_000;
  /** What agent code does most: build, filter, map and sort objects; JSON; console; strings. */
  private static final String IDLE_CODE = "const rows = []; for (let i = 0; i < 40; i++) rows.push({id: i, name: 'n' + i,"
      + " v: (i * 7) % 11, tags: ['a', String(i % 3)]});"
      + " const out = rows.filter(r => r.v > 3).map(r => ({...r, w: r.v * 1.5})).sort((a, b) => b.w - a.w || a.id - b.id);"
      + " console.log(out.length, `${out[0].name}`); return JSON.parse(JSON.stringify(out.slice(0, 3)));";
  private int idleRuns;
  private final SandboxRunner runner;
  private final Profile profile;
  private final boolean skip;

  /** {@code args}: {@code NAME AST_DEPTH [cold]}, the engine key of the profile the host runs most. */
  WarmUp(SandboxRunner runner, String[] args) {
    this.runner = runner;
    boolean keyed = args.length == 2 || args.length == 3;
    this.skip = args.length == 3 && args[2].equals(COLD);
    String name = keyed && args[0].matches("[A-Za-z0-9_.-]{1,64}") ? args[0] : "default";
    // The embedded default profile's limits: defaults live in the embedded YAML only.
    ProcLimits d = ConfigLoader.loadDefault().defaultProfile().proc();
    int astDepth = keyed && args[1].matches("[0-9]{1,6}") ? Integer.parseInt(args[1]) : d.maxAstDepth();
    ProcLimits limits = new ProcLimits(d.wallMs(), d.cpuMs(), d.memMb(), d.maxOutputBytes(), d.maxResultBytes(),
        d.maxStatements(), d.maxStackFrames(), astDepth);
    this.profile = WorkerProtocol.limitsOnly(name, limits);
  }

  /** Runs the warm-up on the calling thread. */
  void run() {
    if (skip) {
      return;
    }
    runner.warmUp(profile, RUNS, MAX_NANOS);
  }

  /**
   * One more throw-away run if the idle budget is not spent and {@code idle} holds; returns whether it ran.
   * An agent run that arrives meanwhile runs beside it (each on its own thread).
   */
  boolean oneMore(BooleanSupplier idle) {
    if (skip || idleRuns >= IDLE_RUNS || !idle.getAsBoolean()) {
      return false;
    }
    try {
      runner.warmUpRun(profile, "idle-warm-up-" + idleRuns++, IDLE_CODE);
      return true;
    } catch (RunRejectedException e) {
      return false;
    }
  }
}
