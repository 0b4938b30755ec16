package dev.codemode.server.state;

import dev.codemode.policies.HttpSettings.RateLimit;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** A token bucket per principal in this JVM: {@code burst} calls at once, refilled at {@code perMinute} a minute. */
public final class LocalTokenBuckets {
  private static final int MAX_PRINCIPALS = 100_000;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public LocalTokenBuckets(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Takes one call's token for {@code principal}; empty when allowed, else the seconds until a token is back. */
  public OptionalLong tryAcquire(String principal, RateLimit limit) {
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
