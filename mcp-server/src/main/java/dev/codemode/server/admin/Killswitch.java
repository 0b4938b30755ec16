package dev.codemode.server.admin;

import java.time.Instant;

/** The killswitch's state: when on, every run is cancelled and new runs are refused until an operator resets it. */
public record Killswitch(boolean engaged, String by, long sinceMs) {
  /** Off. */
  public static final Killswitch OFF = new Killswitch(false, null, 0);

  static Killswitch engaged(String by, long sinceMs) {
    return new Killswitch(true, by, sinceMs);
  }

  /** The refusal a caller sees while the switch is on. */
  public String refusal() {
    return "the operator's killswitch is on (since " + Instant.ofEpochMilli(sinceMs)
        + "): codemode refuses new runs until an operator resets it with 'codemode admin killswitch off'";
  }
}
