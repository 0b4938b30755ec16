package dev.codemode.server.admission;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admits at most {@code slots + queue} calls at once, the same capacity as the run executor and its
 * queue, and refuses the rest at once with an estimate of when to retry; it never blocks a caller.
 */
public final class AdmissionGate {
  private static final long MIN_RETRY_S = 1;
  private static final long MAX_RETRY_S = 60;
  private final int slots;
  private final int capacity;
  private final Semaphore permits;
  private final AtomicLong averageMs = new AtomicLong(1_000);

  /**
   * @param slots runs executing at once
   * @param queue runs waiting for a slot
   */
  public AdmissionGate(int slots, int queue) {
    if (slots < 1 || queue < 0) {
      throw new IllegalArgumentException("slots must be at least 1 and queue not negative");
    }
    this.slots = slots;
    this.capacity = slots + queue;
    this.permits = new Semaphore(capacity);
  }

  /** A ticket for an admitted call; close it when the call ends. */
  public interface Ticket extends AutoCloseable {
    @Override
    void close();
  }

  /** Admits the call, or returns null when the runner and its queue are full. */
  public Ticket tryEnter() {
    if (!permits.tryAcquire()) {
      return null;
    }
    long start = System.nanoTime();
    return new Ticket() {
      private boolean closed;

      @Override
      public synchronized void close() {
        if (!closed) {
          closed = true;
          long ms = (System.nanoTime() - start) / 1_000_000;
          averageMs.updateAndGet(avg -> (avg * 7 + ms) / 8);
          permits.release();
        }
      }
    };
  }

  /** Calls admitted and not yet ended. */
  public int inFlight() {
    return capacity - permits.availablePermits();
  }

  /** Calls that may be in flight at once. */
  public int capacity() {
    return capacity;
  }

  /** How long a refused caller should wait: the recent average call time times the queue depth per slot, 1 to 60 s. */
  public long retryAfterSeconds() {
    double waves = Math.max(1.0, (double) inFlight() / slots);
    long s = (long) Math.ceil(averageMs.get() * waves / 1000.0);
    return Math.max(MIN_RETRY_S, Math.min(MAX_RETRY_S, s));
  }
}
