package dev.codemode.server.admission;

import dev.codemode.policies.HttpSettings.RateLimit;
import dev.codemode.server.state.LocalTokenBuckets;
import dev.codemode.server.state.MemoryState;
import dev.codemode.server.state.SharedState;
import dev.codemode.server.state.StateUnavailableException;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * A token bucket per principal: {@code burst} calls at once, refilled at {@code perMinute} a minute. With a shared
 * state backend the bucket is one for all replicas; while the backend is down each replica falls back to a bucket
 * of its own (so the limit holds per replica rather than not at all).
 */
public final class RateLimiter {
  private final RateLimit limit;
  private final SharedState state;
  private final LocalTokenBuckets fallback;

  public RateLimiter(RateLimit limit) {
    this(limit, new MemoryState());
  }

  public RateLimiter(RateLimit limit, SharedState state) {
    this(limit, state, System::nanoTime);
  }

  RateLimiter(RateLimit limit, LongSupplier nanoClock) {
    this(limit, new MemoryState(), nanoClock);
  }

  private RateLimiter(RateLimit limit, SharedState state, LongSupplier nanoClock) {
    this.limit = limit;
    this.state = state.shared() ? state : null;
    this.fallback = new LocalTokenBuckets(nanoClock);
  }

  /** The configured limit. */
  public RateLimit limit() {
    return limit;
  }

  /** Takes one call's token for {@code principal}; empty when allowed, else the seconds until a token is back. */
  public OptionalLong tryAcquire(String principal) {
    if (!limit.enabled()) {
      return OptionalLong.empty();
    }
    if (state != null) {
      try {
        return state.tryAcquire(principal, limit);
      } catch (StateUnavailableException e) {
        // Logged and shown on the state-backend gauge by the backend.
      }
    }
    return fallback.tryAcquire(principal, limit);
  }
}
