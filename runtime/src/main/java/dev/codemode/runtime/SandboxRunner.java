package dev.codemode.runtime;

import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs agent code in process: a bounded pool of run threads, a wall-time watchdog and a heap guard.
 * Thread-safe; build one per server with {@link #builder()}.
 */
public final class SandboxRunner implements Runner {
  private static final long RUN_THREAD_STACK_BYTES = 64L << 20;
  private static final long GRACE_MS = 10_000;
  private final SandboxContexts contexts = new SandboxContexts();
  private final GuestScripts scripts = new GuestScripts();
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService watchdog;
  private final HeapGuard heapGuard;
  private final Map<String, RunExecution> active = new ConcurrentHashMap<>();
  private final boolean filesOverBridge;
  private final StageStock stock;
  // Admission is counted here, not by the executor's queue: a permit is given back before the caller
  // sees the result, so a run sent right after the previous one ends is never refused for a thread
  // that has not yet gone back to waiting.
  private final Semaphore admissions;
  private final int slots;
  private final int queueCapacity;

  private SandboxRunner(Builder b) {
    AtomicInteger n = new AtomicInteger();
    this.slots = b.maxConcurrentRuns;
    this.queueCapacity = b.queueCapacity;
    this.admissions = new Semaphore(b.maxConcurrentRuns + b.queueCapacity);
    this.pool = new ThreadPoolExecutor(b.maxConcurrentRuns, b.maxConcurrentRuns, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(null, r, "codemode-run-" + n.incrementAndGet(), RUN_THREAD_STACK_BYTES);
          t.setDaemon(true);
          return t;
        },
        new ThreadPoolExecutor.AbortPolicy());
    this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "codemode-watchdog");
      t.setDaemon(true);
      return t;
    });
    this.heapGuard = new HeapGuard(b.heapThreshold, this::activeRuns);
    this.filesOverBridge = b.filesOverBridge;
    // Files served over the bridge belong to one request, so a worker builds each context on demand.
    this.stock = b.filesOverBridge ? null : new StageStock(contexts, scripts);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public RunResult run(RunRequest request) {
    RunExecution execution = new RunExecution(request, filesOverBridge);
    admit();
    Future<RunResult> future;
    try {
      future = pool.submit(() -> {
        try {
          return runWatched(execution);
        } finally {
          admissions.release();
        }
      });
    } catch (RejectedExecutionException e) {
      admissions.release();
      throw new RunRejectedException("busy: the runner is shutting down");
    }
    try {
      return future.get(execution.limits().wallMs() + GRACE_MS + queueAllowanceMs(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      execution.stop(null);
      future.cancel(true);
      Thread.currentThread().interrupt();
      return cancelledBeforeStart(request);
    } catch (ExecutionException | TimeoutException e) {
      execution.stop(new LimitHit(LimitKind.WALL_TIME, "the run did not end within its wall budget"));
      future.cancel(true);
      return new RunResult(request.runId(), RunStatus.INTERNAL_ERROR, NullNode.getInstance(), "",
          new GuestError("InternalError", "the run did not finish in time and was abandoned", null), null,
          List.of(), List.of(), List.of(), List.of(), execution.elapsedMs(), -1);
    }
  }

  /**
   * Starts {@code request} on a run thread and hands its result to {@code onDone} on that thread, without
   * a waiting caller thread (a worker process answers its host from the run thread).
   *
   * @throws RunRejectedException when every run slot is busy and the queue is full
   */
  public void runAsync(RunRequest request, Consumer<RunResult> onDone) {
    RunExecution execution = new RunExecution(request, filesOverBridge);
    admit();
    try {
      pool.execute(() -> {
        RunResult result;
        try {
          result = runWatched(execution);
        } finally {
          admissions.release();
        }
        onDone.accept(result);
      });
    } catch (RejectedExecutionException e) {
      admissions.release();
      throw new RunRejectedException("busy: the runner is shutting down");
    }
  }

  private void admit() {
    if (!admissions.tryAcquire()) {
      throw new RunRejectedException("busy: all " + slots + " run slots and the queue of " + queueCapacity
          + " are taken; retry after a few seconds");
    }
  }

  @Override
  public boolean cancel(String runId) {
    RunExecution run = active.get(runId);
    if (run == null) {
      return false;
    }
    run.stop(null);
    return true;
  }

  @Override
  public Collection<String> activeRunIds() {
    return List.copyOf(active.keySet());
  }

  private Collection<RunExecution> activeRuns() {
    return List.copyOf(active.values());
  }

  private long queueAllowanceMs() {
    return 60_000;
  }

  private RunResult runWatched(RunExecution execution) {
    long wallMs = execution.limits().wallMs();
    active.put(execution.runId(), execution);
    AtomicReference<ScheduledFuture<?>> timer = new AtomicReference<>();
    Runnable arm = () -> {
      long armedAt = System.nanoTime();
      timer.set(watchdog.schedule(() -> execution.stop(new LimitHit(LimitKind.WALL_TIME,
          "wall time budget of " + wallMs + " ms exceeded (" + (System.nanoTime() - armedAt) / 1_000_000 + " ms used)")),
          wallMs, TimeUnit.MILLISECONDS));
    };
    try {
      Stage stage = stock == null ? null
          : stock.take(new StageStock.Key(execution.request().profile(), execution.limits(), execution.request().servers()));
      return execution.execute(contexts, scripts, arm, stage);
    } finally {
      ScheduledFuture<?> t = timer.get();
      if (t != null) {
        t.cancel(false);
      }
      active.remove(execution.runId());
      Thread.interrupted();
    }
  }

  private static RunResult cancelledBeforeStart(RunRequest request) {
    return new RunResult(request.runId(), RunStatus.CANCELLED, NullNode.getInstance(), "", null, null,
        List.of(), List.of(), List.of(), List.of(), 0, 0);
  }

  @Override
  public String describe() {
    return "isolation in-process (one JVM, shared heap, heap guard; no OS jail)";
  }

  @Override
  public void close() {
    for (RunExecution run : active.values()) {
      run.stop(null);
    }
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.shutdownNow();
    watchdog.shutdownNow();
    heapGuard.close();
    if (stock != null) {
      stock.close();
    }
    contexts.close();
  }

  /** Configures a {@link SandboxRunner}. */
  public static final class Builder {
    private int maxConcurrentRuns = Runtime.getRuntime().availableProcessors();
    private int queueCapacity = 64;
    private double heapThreshold = 0.85;
    private boolean filesOverBridge;

    private Builder() {}

    /** Runs executing at once (default: the number of cores). */
    public Builder maxConcurrentRuns(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxConcurrentRuns must be at least 1");
      }
      this.maxConcurrentRuns = n;
      return this;
    }

    /** Runs waiting for a slot before new ones are refused as busy (default 64). */
    public Builder queueCapacity(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("queueCapacity must not be negative");
      }
      this.queueCapacity = n;
      return this;
    }

    /** Fraction of the max heap above which the heap guard ends the biggest run (default 0.85). */
    public Builder heapThreshold(double fraction) {
      if (!(fraction > 0.1 && fraction < 1.0)) {
        throw new IllegalArgumentException("heapThreshold must be between 0.1 and 1.0");
      }
      this.heapThreshold = fraction;
      return this;
    }

    /**
     * Serve {@code fs.*} calls and module reads through each request's bridge instead of in this JVM:
     * for a worker process, whose host keeps every run's files and checks every path.
     */
    public Builder filesOverBridge(boolean enabled) {
      this.filesOverBridge = enabled;
      return this;
    }

    public SandboxRunner build() {
      return new SandboxRunner(this);
    }
  }
}
