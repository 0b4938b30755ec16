package dev.codemode.runtime;

/**
 * Which walls stand between agent code and the server, as chosen at start: the worker process (its own
 * JVM and heap, a cleared environment, rlimits) and the OS jail around it (bubblewrap). {@code jailDown}
 * says why the jail is not up (null when it is).
 */
public record Walls(boolean workerProcess, boolean jail, String jailDown) {
  /** One JVM: neither wall. */
  public static Walls inProcess(String why) {
    return new Walls(false, false, why);
  }

  /** {@code process} or {@code in-process}: the value of {@code runtime.isolation} this server ended up with. */
  public String isolation() {
    return workerProcess ? "process" : "in-process";
  }

  /** {@code bwrap} or {@code none}. */
  public String jailName() {
    return jail ? "bwrap" : "none";
  }

  /** The start-up log's statement: each wall, up or down, and why the jail is down. */
  public String statement() {
    return "walls: GraalJS context UP; worker process " + (workerProcess ? "UP" : "DOWN (runs share the server's JVM)")
        + "; bubblewrap jail " + (jail ? "UP" : "DOWN" + (jailDown == null ? "" : " (" + jailDown + ")"));
  }
}
