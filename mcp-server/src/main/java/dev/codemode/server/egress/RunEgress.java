package dev.codemode.server.egress;

import dev.codemode.runtime.HostBudget;
import dev.codemode.runtime.RunJournal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One run's egress: its budget, at most {@value #MAX_IN_FLIGHT} requests on the network at once on the
 * shared {@link EgressThreads}, the rest in the run's queue, and rate waits as timer entries. Created when
 * the run is admitted; {@link #close()} at run end cancels what is queued or waiting, interrupts what is in
 * flight (which closes its socket) and waits for every fetch to end, so every request that left is in the
 * run's journal before the answer is built and nothing of the run reaches the network afterwards.
 * Thread-safe.
 */
public final class RunEgress implements AutoCloseable {
  /** Requests of one run on the network at once; the others wait in the run's queue, holding no thread. */
  public static final int MAX_IN_FLIGHT = 6;
  /** How long {@link #close()} waits for interrupted requests to record how they ended. */
  private static final long SETTLE_MS = 2_000;

  private final EgressProxy proxy;
  private final EgressBudget budget;
  private final EgressThreads threads;
  private final ArrayDeque<Slot<?>> queued = new ArrayDeque<>();
  private final Set<Slot<?>> inFlight = new HashSet<>();
  private final Set<Wait> waits = new HashSet<>();
  private int openFetches;
  private boolean closed;

  RunEgress(EgressProxy proxy, EgressBudget budget, EgressThreads threads) {
    this.proxy = proxy;
    this.budget = budget;
    this.threads = threads;
  }

  /** The run ended before this request was sent; it never reached the network. */
  static class RunEndedException extends EgressException {
    private static final long serialVersionUID = 1L;

    RunEndedException() {
      this("the run ended before this request was sent");
    }

    RunEndedException(String message) {
      super(message);
    }
  }

  /** The run ended while this request was on the network and it did not end within the settle time. */
  static final class UnsettledAtRunEndException extends RunEndedException {
    private static final long serialVersionUID = 1L;

    UnsettledAtRunEndException() {
      super("the run ended while this request was in flight");
    }
  }

  /** Work that touches the network: lookups and one exchange. */
  @FunctionalInterface
  interface NetworkWork<T> {
    T call() throws Exception;
  }

  private static final class Slot<T> {
    final NetworkWork<T> work;
    final HostBudget host;
    final CompletableFuture<T> result = new CompletableFuture<>();
    Future<?> task;
    /** Set by the network thread that takes the slot; a slot the run ends before that never runs. */
    boolean started;
    boolean abandoned;

    Slot(NetworkWork<T> work, HostBudget host) {
      this.work = work;
      this.host = host;
    }
  }

  private record Wait(CompletableFuture<Void> done, ScheduledFuture<?> timer) {}

  /** Performs the guest's fetch for this run; the stage fails with an {@link EgressException}. */
  public CompletableFuture<FetchResponse> fetch(FetchRequest request, RunJournal journal, HostBudget host) {
    synchronized (this) {
      openFetches++;
    }
    return proxy.fetch(request, journal, this, host).whenComplete((response, failure) -> fetchEnded());
  }

  private synchronized void fetchEnded() {
    openFetches--;
    notifyAll();
  }

  EgressBudget budget() {
    return budget;
  }

  /** Completes after {@code nanos} without holding a thread; fails if the run ends first. */
  CompletableFuture<Void> after(long nanos) {
    if (nanos <= 0) {
      return closed() ? CompletableFuture.failedFuture(new RunEndedException()) : CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(new RunEndedException());
      }
      Wait wait = new Wait(done, threads.timer().schedule(() -> done.complete(null), nanos, TimeUnit.NANOSECONDS));
      waits.add(wait);
      done.whenComplete((v, e) -> forget(wait));
    }
    return done;
  }

  private synchronized void forget(Wait wait) {
    waits.remove(wait);
  }

  /** Runs {@code work} in one of the run's network slots, charging its CPU time to {@code host}. */
  <T> CompletableFuture<T> onNetwork(NetworkWork<T> work, HostBudget host) {
    Slot<T> slot = new Slot<>(work, host);
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(new RunEndedException());
      }
      if (inFlight.size() < MAX_IN_FLIGHT) {
        start(slot);
      } else {
        queued.add(slot);
      }
    }
    return slot.result;
  }

  /** Whether a request may still open a connection: false once the run has ended. */
  synchronized boolean mayConnect() {
    return !closed;
  }

  synchronized boolean closed() {
    return closed;
  }

  private void start(Slot<?> slot) {
    inFlight.add(slot);
    slot.task = threads.network().submit(() -> runSlot(slot));
  }

  private <T> void runSlot(Slot<T> slot) {
    synchronized (this) {
      if (slot.abandoned) {
        return;
      }
      slot.started = true;
    }
    long cpuStart = HostBudget.cpuNanos();
    try {
      slot.result.complete(slot.work.call());
    } catch (Throwable t) {
      slot.result.completeExceptionally(t);
    } finally {
      slot.host.charge(HostBudget.cpuNanos() - cpuStart);
      synchronized (this) {
        inFlight.remove(slot);
        Slot<?> next = closed ? null : queued.poll();
        if (next != null) {
          start(next);
        }
        notifyAll();
      }
    }
  }

  /**
   * Ends the run's egress: queued requests and rate waits fail (recorded as cancelled before sending),
   * requests in flight are interrupted, and every fetch of the run gets up to {@value #SETTLE_MS} ms to record how it ended.
   * Idempotent.
   */
  @Override
  public void close() {
    List<Slot<?>> notSent;
    List<Wait> waiting;
    List<Slot<?>> running;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      notSent = new ArrayList<>(queued);
      queued.clear();
      waiting = new ArrayList<>(waits);
      running = new ArrayList<>();
      // A slot still in the shared pool's queue never reached the network: it ends here, as not sent,
      // rather than leaving the run to wait for a thread that will not come.
      for (Slot<?> s : new ArrayList<>(inFlight)) {
        if (s.started) {
          running.add(s);
        } else {
          s.abandoned = true;
          inFlight.remove(s);
          notSent.add(s);
        }
      }
    }
    for (Wait w : waiting) {
      w.timer().cancel(false);
      w.done().completeExceptionally(new RunEndedException());
    }
    for (Slot<?> s : notSent) {
      s.result.completeExceptionally(new RunEndedException());
    }
    for (Slot<?> s : running) {
      s.task.cancel(true);
    }
    if (!awaitSettled()) {
      // A request stuck past the settle time (a lookup ignores interrupts) is still written to the
      // run's journal, as in flight when the run ended, before the answer is built.
      List<Slot<?>> stuck;
      synchronized (this) {
        stuck = new ArrayList<>(inFlight);
      }
      for (Slot<?> s : stuck) {
        s.result.completeExceptionally(new UnsettledAtRunEndException());
      }
    }
  }

  /**
   * Waits until every fetch of the run has ended and journaled how (also one passing between its rate wait
   * and a network slot, or between two hops); an interrupt of the closing thread (a run ended by force)
   * does not cut it short. Answers whether every fetch ended in time.
   */
  private synchronized boolean awaitSettled() {
    boolean interrupted = Thread.interrupted();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
    try {
      while (openFetches > 0 || !inFlight.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      return true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
