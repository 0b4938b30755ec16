package dev.codemode.runtime.worker;

import dev.codemode.policies.ProcLimits;
import dev.codemode.policies.Profile;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.runtime.SandboxRunner;

/**
 * Warms a worker JVM before it reports ready: builds the engine of the profile the host runs most and
 * runs a few hundred throw-away scripts on it, so the first agent runs do not pay for a cold engine
 * and the JIT has begun on the interpreter's hot paths. Bounded in time.
 */
final class WarmUp {
  private static final int RUNS = 300;
  private static final long MAX_NANOS = 1_500_000_000L;
  private final SandboxRunner runner;
  private final Profile profile;

  /** {@code args}: {@code NAME AST_DEPTH}, the engine key of the profile the host runs most. */
  WarmUp(SandboxRunner runner, String[] args) {
    this.runner = runner;
    String name = args.length == 2 && args[0].matches("[A-Za-z0-9_.-]{1,64}") ? args[0] : "default";
    // The embedded default profile's limits: defaults live in the embedded YAML only.
    ProcLimits d = ConfigLoader.loadDefault().defaultProfile().proc();
    int astDepth = args.length == 2 && args[1].matches("[0-9]{1,6}") ? Integer.parseInt(args[1]) : d.maxAstDepth();
    ProcLimits limits = new ProcLimits(d.wallMs(), d.cpuMs(), d.memMb(), d.maxOutputBytes(), d.maxResultBytes(),
        d.maxStatements(), d.maxStackFrames(), astDepth);
    this.profile = WorkerProtocol.limitsOnly(name, limits);
  }

  /** Runs the warm-up on the calling thread. */
  void run() {
    runner.warmUp(profile, RUNS, MAX_NANOS);
  }
}
