package dev.codemode.runtime;

import dev.codemode.policies.Profile;
import java.util.Map;
import java.util.Objects;

/**
 * One run to execute.
 *
 * @param runId a unique, time-ordered id chosen by the caller
 * @param code the agent's JavaScript: an async function body, or an ES module
 * @param profile the effective policy of the run
 * @param timeoutMs a tighter wall-time budget for this run, or null
 * @param servers the tools the guest sees: server → JS identifier → exact downstream tool name
 * @param bridge where capability calls that the runtime does not serve itself go: the run's own host side
 */
public record RunRequest(
    String runId,
    String code,
    Profile profile,
    Long timeoutMs,
    Map<String, Map<String, String>> servers,
    HostBridge bridge) {
  public RunRequest {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(profile, "profile");
    servers = Map.copyOf(servers);
    Objects.requireNonNull(bridge, "bridge");
  }

  /** This request with {@code other} as its bridge; every other field kept. */
  public RunRequest withBridge(HostBridge other) {
    return new RunRequest(runId, code, profile, timeoutMs, servers, other);
  }
}
