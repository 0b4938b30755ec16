package dev.codemode.runtime;

import dev.codemode.policies.ProcLimits;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.io.FileSystem;
import org.graalvm.polyglot.io.IOAccess;

/**
 * One shared {@link Engine} per policy and the one way a run's {@link Context} is built:
 * {@link SandboxPolicy#CONSTRAINED}, no host access, no host class lookup, no threads, no processes,
 * no native access, no environment, IO only through the run's own virtual file system.
 *
 * <p>With {@code selfEnforced} (a JIT worker: its Graal release has no {@code sandbox.*} options) the
 * statement limit is a {@link ResourceLimits} of the context and the other limits are enforced by the run
 * ({@link SelfEnforcedLimits}); the engine compiles on one thread at most.
 */
public final class SandboxContexts implements AutoCloseable {
  /** The implementation name of an engine without an optimizing runtime. */
  static final String INTERPRETED = "Interpreted";
  private final Map<String, Engine> engines = new ConcurrentHashMap<>();
  private final boolean selfEnforced;

  /** Contexts whose engine enforces every limit ({@code sandbox.*} options). */
  SandboxContexts() {
    this(false);
  }

  SandboxContexts(boolean selfEnforced) {
    this.selfEnforced = selfEnforced;
  }

  /** Whether the limits the engine cannot enforce are enforced by the run instead. */
  boolean selfEnforced() {
    return selfEnforced;
  }

  /**
   * The shared engine of the policy {@code policyName}, built on first use. GraalJS requires every
   * context of one engine to use the same AST depth limit, so the limit is part of the key.
   */
  Engine engineFor(String policyName, int maxAstDepth) {
    return engines.computeIfAbsent(policyName + "#ast=" + maxAstDepth, n -> selfEnforced ? compiling() : Engine.newBuilder("js")
        .sandbox(SandboxPolicy.CONSTRAINED)
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream())
        .in(InputStream.nullInputStream())
        .option("engine.WarnInterpreterOnly", "false")
        .build());
  }

  /**
   * An engine of the optimizing runtime, refused when the JVM runs it interpreted: JIT mode never falls
   * back silently. Compilation is bounded: one compiler thread, Graal's graph size cap, the worker's heap
   * and code cache.
   */
  private static Engine compiling() {
    Engine e = Engine.newBuilder("js")
        .sandbox(SandboxPolicy.CONSTRAINED)
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream())
        .in(InputStream.nullInputStream())
        .option("engine.CompilerThreads", "1")
        .build();
    if (INTERPRETED.equals(e.getImplementationName())) {
      e.close();
      throw new IllegalStateException("JIT mode, but the engine runs interpreted (Graal jars and JDK do not match)");
    }
    return e;
  }

  /** A fresh context for one run on the engine of {@code policyName}, with every limit of {@code limits} set. */
  Context newContext(String policyName, ProcLimits limits, FileSystem fileSystem) {
    Context.Builder b = Context.newBuilder("js")
        .engine(engineFor(policyName, limits.maxAstDepth()))
        .sandbox(SandboxPolicy.CONSTRAINED)
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream())
        .in(InputStream.nullInputStream())
        // Only Proxy* objects cross; no Java object is ever handed to the guest. Host class lookup is left
        // unset on purpose: setting any predicate, even one that refuses everything, installs the
        // `Java` and `Packages` globals.
        .allowHostAccess(HostAccess.CONSTRAINED)
        .allowPolyglotAccess(PolyglotAccess.NONE)
        .allowCreateThread(false)
        .allowCreateProcess(false)
        .allowNativeAccess(false)
        .allowEnvironmentAccess(EnvironmentAccess.NONE)
        .allowIO(IOAccess.newBuilder().fileSystem(fileSystem).build())
        .option("js.load", "false")
        .option("js.print", "false")
        .option("js.graal-builtin", "false");
    if (selfEnforced) {
      return b.resourceLimits(ResourceLimits.newBuilder().statementLimit(limits.maxStatements(), null).build()).build();
    }
    return b.option("sandbox.MaxCPUTime", limits.cpuMs() + "ms")
        .option("sandbox.MaxStatements", Long.toString(limits.maxStatements()))
        .option("sandbox.MaxStackFrames", Integer.toString(limits.maxStackFrames()))
        .option("sandbox.MaxASTDepth", Integer.toString(limits.maxAstDepth()))
        .option("sandbox.MaxOutputStreamSize", limits.maxOutputBytes() + "B")
        .option("sandbox.MaxErrorStreamSize", limits.maxOutputBytes() + "B")
        .build();
  }

  @Override
  public void close() {
    for (Engine engine : engines.values()) {
      try {
        engine.close();
      } catch (RuntimeException ignored) {
        // An engine with a live context refuses to close; the JVM is going away anyway.
      }
    }
    engines.clear();
  }
}
