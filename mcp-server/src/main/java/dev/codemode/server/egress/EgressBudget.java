package dev.codemode.server.egress;

import dev.codemode.policies.NetPolicy;
import java.util.function.LongSupplier;

/**
 * One run's egress allowance: a request count, a token-bucket rate, body caps and the per-request
 * timeout. Every hop of a redirect chain is a request. Thread-safe.
 *
 * <p>Rate: the bucket holds up to {@code max(1, rate)} tokens and refills at {@code rate} per second; a
 * request that finds it empty waits for its token (without holding a thread: {@link #reserve()} answers
 * the wait) when that comes within the request timeout, and is refused otherwise. A rate of 0 means no
 * rate limit (the request count still applies).
 */
public final class EgressBudget {
  private final int maxRequests;
  private final double ratePerSecond;
  private final long maxRequestBytes;
  private final long maxResponseBytes;
  private final long timeoutMs;
  private final LongSupplier nanoClock;
  private int used;
  private double tokens;
  private long lastRefill;

  /** A budget with the given limits (validated like {@link EgressProxy#build}). */
  public EgressBudget(int maxRequests, double ratePerSecond, long maxRequestBytes, long maxResponseBytes, long timeoutMs) {
    this(maxRequests, ratePerSecond, maxRequestBytes, maxResponseBytes, timeoutMs, System::nanoTime);
  }

  EgressBudget(int maxRequests, double ratePerSecond, long maxRequestBytes, long maxResponseBytes, long timeoutMs,
      LongSupplier nanoClock) {
    if (maxRequests < 0 || maxRequestBytes < 0 || maxResponseBytes < 0 || timeoutMs <= 0
        || !(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("invalid egress limits: max_requests " + maxRequests + ", rate_per_second "
          + ratePerSecond + ", max_request_bytes " + maxRequestBytes + ", max_response_bytes " + maxResponseBytes
          + ", timeout_ms " + timeoutMs + " (counts and caps must be >= 0, timeout > 0)");
    }
    this.maxRequests = maxRequests;
    this.ratePerSecond = ratePerSecond;
    this.maxRequestBytes = maxRequestBytes;
    this.maxResponseBytes = maxResponseBytes;
    this.timeoutMs = timeoutMs;
    this.nanoClock = nanoClock;
    this.tokens = Math.max(1, ratePerSecond);
    this.lastRefill = nanoClock.getAsLong();
  }

  /** A fresh budget for one run under {@code policy}. */
  public static EgressBudget forRun(NetPolicy policy) {
    return new EgressBudget(policy.maxRequests(), policy.ratePerSecond(), policy.maxRequestBytes(),
        policy.maxResponseBytes(), policy.timeoutMs());
  }

  /** Refuses a request body over {@code net.max_request_bytes}. */
  void checkRequestBody(long bytes) throws EgressLimitException {
    if (bytes > maxRequestBytes) {
      throw new EgressLimitException("net.max_request_bytes",
          "request body of " + bytes + " bytes exceeds net.max_request_bytes (" + maxRequestBytes + " bytes)");
    }
  }

  /**
   * Takes one request from the count and one token from the rate bucket, and answers how long the caller
   * must wait (nanoseconds, 0 for none) before the request may leave. Never blocks: a token not there yet
   * is taken on credit, so the next reservation waits behind this one. A request is reserved before its
   * host name is looked up, so lookups count against the budget and the rate too.
   *
   * @throws EgressLimitException when the count is spent, or the wait would be longer than the request timeout
   */
  synchronized long reserve() throws EgressLimitException {
    if (used >= maxRequests) {
      throw new EgressLimitException("net.max_requests",
          "request budget exhausted: net.max_requests allows " + maxRequests + " requests per run");
    }
    long waitNanos = 0;
    if (ratePerSecond > 0) {
      refill();
      if (tokens < 1) {
        waitNanos = (long) Math.ceil((1 - tokens) / ratePerSecond * 1e9);
        if (waitNanos > timeoutMs * 1_000_000L) {
          throw new EgressLimitException("net.rate_per_second",
              "rate limit: net.rate_per_second allows " + ratePerSecond + " requests per second");
        }
      }
      tokens -= 1;
    }
    used++;
    return waitNanos;
  }

  private void refill() {
    long now = nanoClock.getAsLong();
    tokens = Math.min(Math.max(1, ratePerSecond), tokens + (now - lastRefill) / 1e9 * ratePerSecond);
    lastRefill = now;
  }

  /** Requests taken so far. */
  public synchronized int used() {
    return used;
  }

  public long maxResponseBytes() {
    return maxResponseBytes;
  }

  public long timeoutMs() {
    return timeoutMs;
  }
}
