package dev.codemode.runtime;

import dev.codemode.policies.ProcLimits;
import org.graalvm.polyglot.PolyglotException;

/** Maps a resource-exhaustion {@link PolyglotException} raised by the engine's sandbox limits to a {@link LimitHit}. */
final class LimitClassifier {
  private LimitClassifier() {}

  static LimitHit classify(PolyglotException e, ProcLimits limits, long cpuMsUsed) {
    String msg = String.valueOf(e.getMessage());
    // "statement limit" from sandbox.MaxStatements, "Statement count limit" from ResourceLimits (JIT workers).
    if (msg.contains("statement limit") || msg.contains("Statement count limit")) {
      return new LimitHit(LimitKind.STATEMENTS, "statement budget of " + limits.maxStatements() + " exceeded");
    }
    if (msg.contains("CPU time")) {
      return new LimitHit(LimitKind.CPU_TIME,
          "CPU time budget of " + limits.cpuMs() + " ms exceeded (" + cpuMsUsed + " ms used)");
    }
    if (msg.contains("frame limit") || msg.contains("stack frames")) {
      return new LimitHit(LimitKind.STACK, "stack depth budget of " + limits.maxStackFrames() + " frames exceeded");
    }
    if (msg.contains("AST depth")) {
      return new LimitHit(LimitKind.AST_DEPTH, "code nesting (AST depth) budget of " + limits.maxAstDepth() + " exceeded");
    }
    if (msg.contains("output")) {
      return new LimitHit(LimitKind.OUTPUT, "output budget of " + limits.maxOutputBytes() + " bytes exceeded");
    }
    if (msg.contains("heap space") || msg.contains("memory")) {
      return new LimitHit(LimitKind.MEMORY, "memory exhausted (" + limits.memMb() + " MB budget)");
    }
    return null;
  }
}
