package dev.codemode.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The in-process memory wall: GraalJS community has no per-context heap limit, so this watches the
 * JVM's heap and, when it stays above a threshold, ends the active run that has allocated the most.
 * A worker JVM with its own -Xmx is the hard limit; this is the best a shared heap allows.
 */
final class HeapGuard implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HeapGuard.class.getName());
  private static final long POLL_MS = 25;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final double threshold;
  private final Supplier<Collection<RunExecution>> active;
  private final ScheduledExecutorService poller;
  private long quietUntil;

  HeapGuard(double threshold, Supplier<Collection<RunExecution>> active) {
    this.threshold = threshold;
    this.active = active;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "codemode-heap-guard");
      t.setDaemon(true);
      return t;
    });
    poller.scheduleWithFixedDelay(this::check, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
  }

  long allocatedBytes(Thread t) {
    return t == null ? 0 : threads.getThreadAllocatedBytes(t.getId());
  }

  private void check() {
    try {
      if (System.nanoTime() < quietUntil || !aboveThreshold()) {
        return;
      }
      // Garbage counts as used until a collection: only live data above the line is a bomb.
      System.gc();
      if (!aboveThreshold()) {
        return;
      }
      RunExecution biggest = null;
      long most = -1;
      for (RunExecution run : active.get()) {
        long bytes = allocatedBytes(run.thread()) - run.allocatedAtStart();
        if (bytes > most) {
          most = bytes;
          biggest = run;
        }
      }
      if (biggest != null) {
        LOG.log(System.Logger.Level.WARNING, "heap above {0}% after a collection: ending run {1}",
            Math.round(threshold * 100), biggest.runId());
        biggest.stop(new LimitHit(LimitKind.MEMORY, "memory budget exceeded: the server's heap stayed above "
            + Math.round(threshold * 100) + "% after a collection while this run held the most (" + (most >> 20)
            + " MB allocated)"));
        quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "heap guard check failed", e);
    }
  }

  private boolean aboveThreshold() {
    long max = memory.getHeapMemoryUsage().getMax();
    return max > 0 && memory.getHeapMemoryUsage().getUsed() >= threshold * max;
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
