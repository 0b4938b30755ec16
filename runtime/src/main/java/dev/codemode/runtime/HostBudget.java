package dev.codemode.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The host-side CPU time one run's bridge work may use: files the host serves for a worker, fetch,
 * tool calls' local processing. That work runs on host threads, outside the budget the guest's own
 * thread is held to, so it is charged here; past the budget the run ends with limit {@code host_time}.
 * Thread-safe.
 */
public final class HostBudget {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final long limitNanos;
  private final AtomicLong usedNanos = new AtomicLong();
  private final AtomicBoolean exceeded = new AtomicBoolean();
  private final Consumer<LimitHit> onExceeded;

  /** A budget of {@code limitMs} that calls {@code onExceeded} once, on the thread whose charge went past it. */
  public HostBudget(long limitMs, Consumer<LimitHit> onExceeded) {
    this.limitNanos = Math.max(0, limitMs) * 1_000_000L;
    this.onExceeded = onExceeded;
  }

  /** A budget that is never exceeded (runs without a runner that can end them, such as unit tests' calls). */
  public static HostBudget unlimited() {
    return new HostBudget(Long.MAX_VALUE / 1_000_000L, hit -> { });
  }

  /** Runs {@code work} on this thread and charges the CPU time it took. */
  public <T> T charged(Supplier<T> work) {
    long start = cpuNanos();
    try {
      return work.get();
    } finally {
      charge(cpuNanos() - start);
    }
  }

  /** The CPU time of the calling thread so far (for work measured across callbacks). */
  public static long cpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /** Adds {@code nanos} of host work; the first charge past the budget ends the run. */
  public void charge(long nanos) {
    if (nanos <= 0) {
      return;
    }
    long used = usedNanos.addAndGet(nanos);
    if (used > limitNanos && exceeded.compareAndSet(false, true)) {
      onExceeded.accept(new LimitHit(LimitKind.HOST_TIME, "host time budget of " + limitNanos / 1_000_000L
          + " ms exceeded: the host's work for this run's files, fetches and tool calls took " + used / 1_000_000L + " ms"));
    }
  }

}
