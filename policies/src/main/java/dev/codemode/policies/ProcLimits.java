package dev.codemode.policies;

/**
 * Resource limits for one run; every one is enforced from the host.
 *
 * @param hostMs CPU time the host may spend on the run's bridge work (files it serves, fetch, tool calls'
 *     local processing), beside the run's own {@code cpuMs}
 */
public record ProcLimits(
    long wallMs,
    long cpuMs,
    int memMb,
    int maxOutputBytes,
    int maxResultBytes,
    long maxStatements,
    int maxStackFrames,
    int maxAstDepth,
    long hostMs) {

  /** Limits whose host budget is the run's CPU budget. */
  public ProcLimits(long wallMs, long cpuMs, int memMb, int maxOutputBytes, int maxResultBytes, long maxStatements,
      int maxStackFrames, int maxAstDepth) {
    this(wallMs, cpuMs, memMb, maxOutputBytes, maxResultBytes, maxStatements, maxStackFrames, maxAstDepth, cpuMs);
  }

  /** These limits with the wall time lowered to {@code timeoutMs} when that is smaller (a call can only tighten). */
  public ProcLimits tightenWall(Long timeoutMs) {
    if (timeoutMs == null || timeoutMs >= wallMs) {
      return this;
    }
    return new ProcLimits(timeoutMs, Math.min(cpuMs, timeoutMs), memMb, maxOutputBytes, maxResultBytes,
        maxStatements, maxStackFrames, maxAstDepth, Math.min(hostMs, timeoutMs));
  }
}
