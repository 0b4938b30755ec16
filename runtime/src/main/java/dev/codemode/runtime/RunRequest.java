package dev.codemode.runtime;

import dev.codemode.policies.Profile;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One run to execute.
 *
 * @param runId a unique, time-ordered id chosen by the caller
 * @param code the agent's JavaScript: an async function body, or an ES module
 * @param profile the effective policy of the run
 * @param timeoutMs a tighter wall-time budget for this run, or null
 * @param servers the tools the guest sees: server → JS identifier → exact downstream tool name
 * @param bridge where capability calls that the runtime does not serve itself go: the run's own host side
 * @param watchedDenials denial classes whose first denial the run's journal keeps even past its head
 *     (the quarantine triggers; see {@link RunJournal#watch})
 */
public record RunRequest(
    String runId,
    String code,
    Profile profile,
    Long timeoutMs,
    Map<String, Map<String, String>> servers,
    HostBridge bridge,
    List<Predicate<Denial>> watchedDenials) {
  public RunRequest {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(profile, "profile");
    servers = Map.copyOf(servers);
    Objects.requireNonNull(bridge, "bridge");
    watchedDenials = List.copyOf(watchedDenials);
  }

  /** A run whose journal watches no denial class. */
  public RunRequest(String runId, String code, Profile profile, Long timeoutMs,
      Map<String, Map<String, String>> servers, HostBridge bridge) {
    this(runId, code, profile, timeoutMs, servers, bridge, List.of());
  }

  /** This request with {@code other} as its bridge; every other field kept. */
  public RunRequest withBridge(HostBridge other) {
    return new RunRequest(runId, code, profile, timeoutMs, servers, other, watchedDenials);
  }

  /** This request with {@code classes} as its watched denial classes; every other field kept. */
  public RunRequest withWatchedDenials(List<Predicate<Denial>> classes) {
    return new RunRequest(runId, code, profile, timeoutMs, servers, bridge, classes);
  }
}
