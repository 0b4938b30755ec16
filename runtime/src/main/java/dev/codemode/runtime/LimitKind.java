package dev.codemode.runtime;

import java.util.Locale;

/** Which limit ended a run. */
public enum LimitKind {
  WALL_TIME, CPU_TIME, MEMORY, STATEMENTS, STACK, AST_DEPTH, OUTPUT, TIMERS,
  /** The host-side time of the run's bridge work ({@link HostBudget}). */
  HOST_TIME;

  /** The contract's spelling, e.g. {@code wall_time}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
