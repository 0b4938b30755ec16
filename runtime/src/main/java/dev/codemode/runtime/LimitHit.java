package dev.codemode.runtime;

/**
 * The limit that ended a run, with its budget and what was used, so a model can act on it.
 *
 * @param detail one sentence, e.g. {@code wall time budget of 2000 ms exceeded (2003 ms used)}
 */
public record LimitHit(LimitKind kind, String detail) {
  /** A returned value larger than {@code maxResultBytes}, its budget. */
  public static LimitHit resultTooLarge(int maxResultBytes) {
    return new LimitHit(LimitKind.OUTPUT, "result larger than its budget of " + maxResultBytes + " bytes");
  }
}
