package dev.codemode.runtime.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.runtime.GuestError;
import dev.codemode.runtime.LimitHit;
import dev.codemode.runtime.LimitKind;
import dev.codemode.runtime.RunRejectedException;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.Runner;
import dev.codemode.runtime.Walls;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs agent code in worker JVMs (process isolation): one run per worker at a time, a bounded number
 * at once plus a bounded queue. The host keeps the files and answers every call; the wall budget is
 * enforced here by killing the worker's process, and a worker's death always ends its run with an
 * answer ({@code limit}/{@code memory} after an OutOfMemoryError, else {@code internal_error}).
 */
public final class WorkerPoolRunner implements Runner {
  private static final long QUEUE_WAIT_MS = 60_000;
  /**
   * The worker's own watchdog ends the run at its budget, counted from when the agent's code starts (as
   * in process); this host timer is the backstop that kills a worker that has not answered by then.
   */
  static final long WALL_GRACE_MS = 1_000;
  private final WorkerPool pool;
  private final String description;
  private final Walls walls;
  private final Semaphore slots;
  private final int queueCapacity;
  private final AtomicInteger waiting = new AtomicInteger();
  private final Map<String, Active> active = new ConcurrentHashMap<>();
  /** Runs waiting for a slot or a worker, by id, with the thread that waits; guarded by itself. */
  private final Map<String, Thread> waitingRuns = new HashMap<>();

  private record Active(HostRun run, WorkerProcess worker) {}

  WorkerPoolRunner(WorkerPool pool, String description, Walls walls, int maxConcurrentRuns, int queueCapacity) {
    this.pool = pool;
    this.description = description;
    this.walls = walls;
    this.slots = new Semaphore(maxConcurrentRuns, true);
    this.queueCapacity = queueCapacity;
  }

  @Override
  public RunResult run(RunRequest request) {
    try (Wait wait = new Wait(request.runId())) {
      if (!slots.tryAcquire()) {
        if (waiting.incrementAndGet() > queueCapacity) {
          waiting.decrementAndGet();
          throw new RunRejectedException("busy: every run slot and the queue of " + queueCapacity
              + " are taken; retry after a few seconds");
        }
        try {
          if (!slots.tryAcquire(QUEUE_WAIT_MS, TimeUnit.MILLISECONDS)) {
            throw new RunRejectedException("busy: no run slot came free within " + QUEUE_WAIT_MS + " ms; retry later");
          }
        } catch (InterruptedException e) {
          wait.endInterrupted();
          return RunResult.bare(request.runId(), RunStatus.CANCELLED, null, 0, -1);
        } finally {
          waiting.decrementAndGet();
        }
      }
      try {
        return execute(request, wait);
      } finally {
        slots.release();
      }
    }
  }

  /**
   * A run's wait for a slot or a worker, which {@link #cancel} ends by interrupting the waiting thread: a run
   * cancelled (or caught by the killswitch) while it waits ends then, not once a worker is free.
   */
  private final class Wait implements AutoCloseable {
    private final String runId;
    private boolean over;

    Wait(String runId) {
      this.runId = runId;
      synchronized (waitingRuns) {
        waitingRuns.put(runId, Thread.currentThread());
      }
    }

    /** Ends the wait; false when a cancel ended it first (its interrupt, delivered already, is taken back). */
    boolean end() {
      if (over) {
        return true;
      }
      over = true;
      synchronized (waitingRuns) {
        if (waitingRuns.remove(runId) != null) {
          return true;
        }
      }
      Thread.interrupted();
      return false;
    }

    /** Ends the wait after an interrupt: an interrupt that was not this run's cancel is kept for the caller. */
    void endInterrupted() {
      if (end()) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      end();
    }
  }

  private RunResult execute(RunRequest request, Wait wait) {
    HostRun run;
    try {
      run = new HostRun(request);
    } catch (RuntimeException e) {
      return RunResult.bare(request.runId(), RunStatus.INTERNAL_ERROR,
          GuestError.internal("the run's file system could not be built"), 0, -1);
    }
    WorkerProcess worker;
    try {
      worker = pool.take(run.limits().memMb());
    } catch (IOException e) {
      return run.ended(RunStatus.INTERNAL_ERROR, GuestError.internal("no worker process could be started"), null);
    } catch (InterruptedException e) {
      wait.endInterrupted();
      return run.ended(RunStatus.CANCELLED, null, null);
    }
    if (!wait.end()) {
      pool.release(worker, true);
      return run.ended(RunStatus.CANCELLED, null, null);
    }
    run.stopWorkerWith(worker::kill);
    active.put(request.runId(), new Active(run, worker));
    boolean reusable = false;
    try {
      RunResult result = run.reported(worker.serve(run, run.limits().wallMs() + WALL_GRACE_MS));
      reusable = keepsWorker(result);
      return result;
    } catch (TimeoutException e) {
      return run.ended(RunStatus.LIMIT, null, new LimitHit(LimitKind.WALL_TIME, "wall time budget of "
          + run.limits().wallMs() + " ms exceeded (" + run.elapsedMs() + " ms used)"));
    } catch (WorkerProcess.Exited e) {
      return died(run, e);
    } finally {
      active.remove(request.runId());
      pool.release(worker, reusable);
    }
  }

  /**
   * Whether the worker that answered {@code result} takes the next run. A limit its own context enforced
   * (wall or CPU time, statements, stack, nesting, output, pending timers) closed that context and nothing else: every run
   * gets a fresh context anyway, so the worker goes on, as after an error. It is replaced after a memory
   * limit (its heap was near full), an internal error (its sandbox failed: a sign of damage) or whatever the
   * host had to end itself (the host budget, a cancel, a missed deadline: the worker is killed then).
   */
  static boolean keepsWorker(RunResult result) {
    return switch (result.status()) {
      case OK, ERROR -> true;
      case LIMIT -> switch (result.limit().kind()) {
        case WALL_TIME, CPU_TIME, STATEMENTS, STACK, AST_DEPTH, OUTPUT, TIMERS -> true;
        case MEMORY, HOST_TIME -> false;
      };
      case CANCELLED, INTERNAL_ERROR -> false;
    };
  }

  private static RunResult died(HostRun run, Throwable cause) {
    if (run.hostLimit() != null) {
      return run.ended(RunStatus.LIMIT, null, run.hostLimit());
    }
    if (run.cancelled()) {
      return run.ended(RunStatus.CANCELLED, null, null);
    }
    int code = cause instanceof WorkerProcess.Exited x ? x.code : -1;
    if (code == WorkerProcess.EXIT_OUT_OF_MEMORY) {
      return run.ended(RunStatus.LIMIT, null, new LimitHit(LimitKind.MEMORY, "memory budget of "
          + run.limits().memMb() + " MB exceeded: the run's worker ran out of heap and was replaced"));
    }
    return run.ended(RunStatus.INTERNAL_ERROR,
        GuestError.internal("the worker process ended unexpectedly (exit " + code + "); it has been replaced"), null);
  }

  @Override
  public boolean cancel(String runId) {
    Active a = active.get(runId);
    if (a == null) {
      synchronized (waitingRuns) {
        Thread waiter = waitingRuns.remove(runId);
        if (waiter != null) {
          waiter.interrupt();
        }
        return waiter != null;
      }
    }
    a.run().cancel();
    a.worker().kill();
    return true;
  }

  @Override
  public Collection<String> activeRunIds() {
    return List.copyOf(active.keySet());
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public boolean warm() {
    return pool.warm();
  }

  @Override
  public Walls walls() {
    return walls;
  }

  /** Waits until the pool's warm workers are all idle; returns whether they are (for benchmarks and tests). */
  public boolean awaitWarm(long timeoutMs) throws InterruptedException {
    return pool.awaitWarm(timeoutMs);
  }

  /** The worker running {@code runId}, or null. */
  WorkerProcess workerOf(String runId) {
    Active a = active.get(runId);
    return a == null ? null : a.worker();
  }

  /** The pooled workers waiting for a run. */
  List<WorkerProcess> idleWorkers() {
    return pool.idleWorkers();
  }

  /** The worker processes alive now, as the host sees them (bwrap, or the JVM when not jailed). */
  List<WorkerProcess> workers() {
    return pool.liveWorkers();
  }

  @Override
  public void close() {
    for (Active a : active.values()) {
      a.run().cancel();
    }
    pool.close();
  }
}
