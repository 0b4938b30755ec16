package dev.codemode.policies;

import java.util.List;
import java.util.Map;

/**
 * The guest's network: off unless enabled, and then only what an allow rule names and no deny rule does.
 *
 * @param resolve host name to IP address overrides (like {@code curl --resolve}), for tests
 * @param maxRequests requests per run
 * @param maxRequestBytes request body cap
 * @param maxResponseBytes response body cap
 * @param timeoutMs per-request timeout
 * @param ratePerSecond requests per second per run
 * @param upstreamProxy the forward proxy allowed requests go through, or null for direct connections
 */
public record NetPolicy(
    boolean enabled,
    List<EgressRuleSpec> allow,
    List<EgressRuleSpec> deny,
    Map<String, String> resolve,
    int maxRequests,
    long maxRequestBytes,
    long maxResponseBytes,
    long timeoutMs,
    double ratePerSecond,
    UpstreamProxy upstreamProxy) {
  /** Direct connections, no upstream proxy. */
  public NetPolicy(boolean enabled, List<EgressRuleSpec> allow, List<EgressRuleSpec> deny, Map<String, String> resolve,
      int maxRequests, long maxRequestBytes, long maxResponseBytes, long timeoutMs, double ratePerSecond) {
    this(enabled, allow, deny, resolve, maxRequests, maxRequestBytes, maxResponseBytes, timeoutMs, ratePerSecond, null);
  }

  public NetPolicy {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
    resolve = Map.copyOf(resolve);
  }
}
