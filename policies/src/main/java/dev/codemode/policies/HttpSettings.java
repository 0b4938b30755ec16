package dev.codemode.policies;

import java.util.List;

/**
 * How {@code serve --http} behaves (the top-level {@code http:} key).
 *
 * @param stateless serve the stateless Streamable HTTP variant (no sessions, no server-to-client stream)
 * @param allowedOrigins exact {@code Origin} values accepted; the entry {@code loopback} accepts any
 *     http(s) origin on localhost, 127.0.0.1 or [::1]; a request without {@code Origin} is not a browser's
 * @param allowedHosts host names (no port) accepted in the {@code Host} header; {@code loopback} names
 *     localhost, 127.0.0.1 and [::1]; {@code *} accepts any host
 * @param maxRequestBytes largest request body; larger answers 413
 * @param maxHeaderBytes largest request header block; larger answers 413
 * @param shutdownGraceMs how long in-flight calls may run on after shutdown starts
 * @param rateLimit the per-principal token bucket for {@code execute_code} calls
 */
public record HttpSettings(
    boolean stateless,
    List<String> allowedOrigins,
    List<String> allowedHosts,
    long maxRequestBytes,
    int maxHeaderBytes,
    long shutdownGraceMs,
    RateLimit rateLimit) {
  /** The keyword that stands for every loopback origin or host name. */
  public static final String LOOPBACK = "loopback";

  public HttpSettings {
    allowedOrigins = List.copyOf(allowedOrigins);
    allowedHosts = List.copyOf(allowedHosts);
  }

  /** The defaults: stateful, loopback origins and hosts, 1 MiB bodies, 16 KiB headers, 30 s grace, 600 calls/min in bursts of 100 (an agent's parallel fan-out is not refused). */
  public static HttpSettings defaults() {
    return new HttpSettings(false, List.of(LOOPBACK), List.of(LOOPBACK), 1L << 20, 16 << 10, 30_000,
        new RateLimit(600, 100));
  }

  /**
   * A token bucket: {@code burst} calls at once, refilled at {@code perMinute} calls a minute.
   *
   * @param perMinute refill rate; 0 turns the limit off
   * @param burst bucket size
   */
  public record RateLimit(double perMinute, int burst) {
    /** Whether the limit is on. */
    public boolean enabled() {
      return perMinute > 0;
    }
  }
}
