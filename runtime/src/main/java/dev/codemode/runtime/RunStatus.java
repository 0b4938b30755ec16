package dev.codemode.runtime;

import java.util.Locale;

/** How a run ended, as the {@code execute_code} contract names it. */
public enum RunStatus {
  OK, ERROR, LIMIT, CANCELLED, INTERNAL_ERROR;

  /** The contract's spelling: {@code ok}, {@code error}, {@code limit}, {@code cancelled}, {@code internal_error}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
