package dev.codemode.server.admission;

import dev.codemode.policies.HttpSettings.RateLimit;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** A token bucket per principal: {@code burst} calls at once, refilled at {@code perMinute} a minute. */
public final class RateLimiter {
  private static final int MAX_PRINCIPALS = 100_000;
  private final RateLimit limit;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(RateLimit limit) {
    this(limit, System::nanoTime);
  }

  RateLimiter(RateLimit limit, LongSupplier nanoClock) {
    this.limit = limit;
    this.nanoClock = nanoClock;
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
    if (buckets.size() > MAX_PRINCIPALS) {
      buckets.clear();
    }
    Bucket b = buckets.computeIfAbsent(principal, k -> new Bucket(limit.burst(), nanoClock.getAsLong()));
    return b.take(limit, nanoClock.getAsLong());
  }

  /** One principal's bucket. */
  private static final class Bucket {
    private double tokens;
    private long lastNanos;

    Bucket(int burst, long now) {
      this.tokens = burst;
      this.lastNanos = now;
    }

    synchronized OptionalLong take(RateLimit limit, long now) {
      double perNano = limit.perMinute() / 60e9;
      tokens = Math.min(limit.burst(), tokens + (now - lastNanos) * perNano);
      lastNanos = now;
      if (tokens >= 1) {
        tokens -= 1;
        return OptionalLong.empty();
      }
      return OptionalLong.of(Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9)));
    }
  }
}
