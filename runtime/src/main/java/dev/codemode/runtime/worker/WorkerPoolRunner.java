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
        Thread.currentThread().interrupt();
        return RunResult.bare(request.runId(), RunStatus.CANCELLED, null, 0, -1);
      } finally {
        waiting.decrementAndGet();
      }
    }
    try {
      return execute(request);
    } finally {
      slots.release();
    }
  }

  private RunResult execute(RunRequest request) {
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
      Thread.currentThread().interrupt();
      return run.ended(RunStatus.CANCELLED, null, null);
    }
    run.stopWorkerWith(worker::kill);
    active.put(request.runId(), new Active(run, worker));
    boolean reusable = false;
    try {
      RunResult result = run.reported(worker.serve(run, run.limits().wallMs() + WALL_GRACE_MS));
      // After a limit the worker may hold garbage, a half-dead context or a poisoned engine: never reuse it.
      reusable = result.status() == RunStatus.OK || result.status() == RunStatus.ERROR;
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
      return false;
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
