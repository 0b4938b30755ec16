package dev.codemode.policies;

/** Resource limits for one run; every one is enforced from the host. */
public record ProcLimits(
    long wallMs,
    long cpuMs,
    int memMb,
    int maxOutputBytes,
    int maxResultBytes,
    long maxStatements,
    int maxStackFrames,
    int maxAstDepth) {

  /** These limits with the wall time lowered to {@code timeoutMs} when that is smaller (a call can only tighten). */
  public ProcLimits tightenWall(Long timeoutMs) {
    if (timeoutMs == null || timeoutMs >= wallMs) {
      return this;
    }
    return new ProcLimits(timeoutMs, Math.min(cpuMs, timeoutMs), memMb, maxOutputBytes, maxResultBytes,
        maxStatements, maxStackFrames, maxAstDepth);
  }
}
