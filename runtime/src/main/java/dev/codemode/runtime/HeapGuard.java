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
  private int strikes;
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
      long max = memory.getHeapMemoryUsage().getMax();
      long used = memory.getHeapMemoryUsage().getUsed();
      if (max <= 0 || used < threshold * max) {
        strikes = 0;
        return;
      }
      // Two polls in a row above the line: the collector could not bring it down.
      if (++strikes < 2 || System.nanoTime() < quietUntil) {
        return;
      }
      // Garbage of a run that has already ended (a stopped bomb) is not a live run's memory: collect first.
      System.gc();
      if (memory.getHeapMemoryUsage().getUsed() < threshold * max) {
        strikes = 0;
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
        LOG.log(System.Logger.Level.WARNING, "heap at {0}% of max: ending run {1}", used * 100 / max, biggest.runId());
        biggest.stop(new LimitHit(LimitKind.MEMORY, "memory budget exceeded: the JVM's heap passed "
            + Math.round(threshold * 100) + "% while this run held the most (" + (most >> 20) + " MB allocated)"));
        System.gc();
        quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        strikes = 0;
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "heap guard check failed", e);
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
