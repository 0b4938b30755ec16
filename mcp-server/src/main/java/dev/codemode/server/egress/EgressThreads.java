package dev.codemode.server.egress;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fixed threads all runs' egress shares: a pool that does lookups and exchanges, and one timer that
 * ends rate waits. The number of threads does not grow with runs or fetches: a run's requests beyond its
 * network slots wait in its own queue ({@link RunEgress}), and a rate wait is a timer entry, not a thread.
 */
public final class EgressThreads implements AutoCloseable {
  /** Network threads for the whole server. */
  public static final int NETWORK_THREADS = 16;

  private final ThreadPoolExecutor network;
  private final ScheduledThreadPoolExecutor timer;

  /** Starts {@code networkThreads} network threads (created as work arrives) and the timer. */
  public EgressThreads(int networkThreads) {
    AtomicInteger n = new AtomicInteger();
    this.network = new ThreadPoolExecutor(networkThreads, networkThreads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> daemon(r, "codemode-egress-" + n.incrementAndGet()));
    this.network.allowCoreThreadTimeOut(true);
    this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "codemode-egress-timer"));
    this.timer.setRemoveOnCancelPolicy(true);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  ExecutorService network() {
    return network;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  @Override
  public void close() {
    network.shutdownNow();
    timer.shutdownNow();
  }
}
