package dev.codemode.runtime;

import dev.codemode.policies.ProcLimits;
import dev.codemode.runtime.ts.NativeInput;
import org.graalvm.polyglot.PolyglotException;

/**
 * The limits a JIT worker enforces itself, because its Graal release has no {@code sandbox.*} options, with the
 * same {@link LimitHit}s the engine's limits give: CPU time (the run thread's CPU time, read by the watchdog),
 * code nesting (a scan of the source before it is parsed) and stack depth (the engine's stack overflow when
 * the guest does not catch it). Statements are the context's {@code ResourceLimits}.
 */
final class SelfEnforcedLimits {
  /** How often the watchdog reads a run thread's CPU time. */
  static final long CPU_CHECK_MS = 10;
  /** The message of the RangeError GraalJS throws when the guest's recursion exhausts the run thread's stack. */
  private static final String STACK_OVERFLOW = "RangeError: Maximum call stack size exceeded";

  private SelfEnforcedLimits() {}

  /** The CPU time limit, when {@code usedMs} is past it. */
  static LimitHit cpu(long usedMs, ProcLimits limits) {
    return usedMs > limits.cpuMs() ? new LimitHit(LimitKind.CPU_TIME,
        "CPU time budget of " + limits.cpuMs() + " ms exceeded (" + usedMs + " ms used)") : null;
  }

  /** The AST depth limit, when {@code code} nests deeper than it (an over-estimate: see {@link NativeInput}). */
  static LimitHit astDepth(String code, ProcLimits limits) {
    return NativeInput.nestsDeeperThan(code, limits.maxAstDepth()) ? new LimitHit(LimitKind.AST_DEPTH,
        "code nesting (AST depth) budget of " + limits.maxAstDepth() + " exceeded") : null;
  }

  /**
   * The stack limit, when {@code e} is the engine's own stack overflow that reached the host uncaught. The
   * engine's message is compared, not the guest's error object (reading its members could run guest getters);
   * a guest that throws its own RangeError with that exact message only reports its run as this limit.
   */
  static LimitHit stack(PolyglotException e, ProcLimits limits) {
    boolean overflow = e.isGuestException() && !e.isResourceExhausted() && STACK_OVERFLOW.equals(e.getMessage());
    return overflow ? stackHit(limits) : null;
  }

  /** The stack limit, when the agent's promise was rejected with the engine's stack overflow (as above). */
  static LimitHit stack(GuestError rejection, ProcLimits limits) {
    boolean overflow = rejection != null && "RangeError".equals(rejection.type())
        && STACK_OVERFLOW.equals("RangeError: " + rejection.message());
    return overflow ? stackHit(limits) : null;
  }

  private static LimitHit stackHit(ProcLimits limits) {
    return new LimitHit(LimitKind.STACK, "stack depth budget of " + limits.maxStackFrames() + " frames exceeded");
  }
}
