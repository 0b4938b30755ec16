package dev.codemode.runtime;

import dev.codemode.policies.Profile;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
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

/**
 * Runs agent code in process: a bounded pool of run threads, a wall-time watchdog and a heap guard.
 * Thread-safe; build one per server with {@link #builder()}.
 */
public final class SandboxRunner implements Runner {
  private static final long RUN_THREAD_STACK_BYTES = 64L << 20;
  private static final long GRACE_MS = 10_000;
  private final SandboxContexts contexts;
  private final GuestScripts scripts = new GuestScripts();
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService watchdog;
  private final HeapGuard heapGuard;
  private final Map<String, RunExecution> active = new ConcurrentHashMap<>();
  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
  private final boolean filesOverBridge;
  private final PreparedContextPool preparedPool;
  // Admission is counted here, not by the executor's queue: a permit is given back before the caller
  // sees the result, so a run sent right after the previous one ends is never refused for a thread
  // that has not yet gone back to waiting.
  private final Semaphore admissions;
  private final int slots;
  private final int queueCapacity;

  private SandboxRunner(Builder b) {
    AtomicInteger n = new AtomicInteger();
    this.contexts = new SandboxContexts(b.selfEnforcedLimits);
    this.slots = b.maxConcurrentRuns;
    this.queueCapacity = b.queueCapacity;
    this.admissions = new Semaphore(b.maxConcurrentRuns + b.queueCapacity);
    this.pool = new ThreadPoolExecutor(b.maxConcurrentRuns, b.maxConcurrentRuns, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(),
        r -> newRunThread("codemode-run-" + n.incrementAndGet(), r),
        new ThreadPoolExecutor.AbortPolicy());
    this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "codemode-watchdog");
      t.setDaemon(true);
      return t;
    });
    this.heapGuard = new HeapGuard(b.heapThreshold, this::activeRuns);
    this.filesOverBridge = b.filesOverBridge;
    this.preparedPool = new PreparedContextPool(contexts, scripts, b.filesOverBridge);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public RunResult run(RunRequest request) {
    RunExecution execution = new RunExecution(request, filesOverBridge);
    CompletableFuture<RunResult> answer = new CompletableFuture<>();
    start(execution, answer::complete, answer::completeExceptionally);
    try {
      return answer.get(execution.limits().wallMs() + GRACE_MS + queueAllowanceMs(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      if (!cancel(execution.runId())) {
        execution.stop(null);
      }
      Thread.currentThread().interrupt();
      return cancelledBeforeStart(request);
    } catch (ExecutionException | TimeoutException e) {
      execution.stop(new LimitHit(LimitKind.WALL_TIME, "the run did not end within its wall budget"));
      return RunResult.bare(request.runId(), RunStatus.INTERNAL_ERROR,
          GuestError.internal("the run did not finish in time and was abandoned"), execution.elapsedMs(), -1);
    }
  }

  /**
   * Runs {@code request} on the calling thread, which must be one made by {@link #newRunThread}, and
   * hands its result to {@code onDone} there: a worker process's reader thread runs the request it has
   * just read, without waking another thread first.
   *
   * @throws IllegalStateException when called from any other thread
   * @throws RunRejectedException when every run slot is busy and the queue is full
   */
  public void runHere(RunRequest request, Consumer<RunResult> onDone) {
    if (!(Thread.currentThread() instanceof RunThread)) {
      throw new IllegalStateException("runHere needs a thread from SandboxRunner.newRunThread");
    }
    admit();
    runAndAnswer(new RunExecution(request, filesOverBridge), onDone, failure -> onDone.accept(failed(request)));
  }

  /** A daemon thread with the stack a run needs, so the frame limit, not the thread's stack, ends deep recursion. */
  public static Thread newRunThread(String name, Runnable body) {
    RunThread t = new RunThread(body, name);
    t.setDaemon(true);
    return t;
  }

  private static final class RunThread extends Thread {
    RunThread(Runnable body, String name) {
      super(null, body, name, RUN_THREAD_STACK_BYTES);
    }
  }

  private static RunResult failed(RunRequest request) {
    return RunResult.bare(request.runId(), RunStatus.INTERNAL_ERROR, GuestError.SANDBOX_FAILED, 0, -1);
  }

  /** Admits {@code execution} and runs it on a run thread of the pool. */
  private void start(RunExecution execution, Consumer<RunResult> onDone, Consumer<Throwable> onFailure) {
    admit();
    // Known from admission on, so a run still waiting for a slot can be cancelled: it then ends at once
    // and never runs.
    Runnable task = () -> runAndAnswer(execution, onDone, onFailure);
    active.put(execution.runId(), execution);
    waiting.put(execution.runId(), new Waiting(task, execution, onDone));
    try {
      pool.execute(task);
    } catch (RejectedExecutionException e) {
      waiting.remove(execution.runId());
      active.remove(execution.runId());
      admissions.release();
      throw new RunRejectedException("busy: the runner is shutting down");
    }
  }

  /**
   * Runs an admitted {@code execution} on this thread. The answer goes out first; the context's teardown,
   * the watchdog's cancellation and the next preparedContext's build request come after it, off the answer's path.
   */
  private void runAndAnswer(RunExecution execution, Consumer<RunResult> onDone, Consumer<Throwable> onFailure) {
    waiting.remove(execution.runId());
    Watch watch = new Watch();
    RunResult result = null;
    Throwable failure = null;
    try {
      result = runWatched(execution, watch);
    } catch (Throwable t) {
      failure = t;
    } finally {
      admissions.release();
    }
    try {
      if (failure == null) {
        onDone.accept(result);
      } else {
        onFailure.accept(failure);
      }
    } finally {
      afterAnswer(execution, watch);
    }
  }

  /**
   * Runs up to {@code runs} throw-away scripts on {@code profile} on the calling thread, stopping after
   * {@code maxNanos} (three at least): builds the profile's engine, parses the prelude and lets the JIT
   * start on the interpreter's hot paths before agent runs arrive. A busy runner ends it early.
   */
  public void warmUp(Profile profile, int runs, long maxNanos) {
    long deadline = System.nanoTime() + maxNanos;
    try {
      for (int i = 0; i < runs && (i < 3 || System.nanoTime() < deadline); i++) {
        warmUpRun(profile, "warm-up-" + i, "console.log('w'); return [1, 2].map(x => x + 1)");
      }
    } catch (RunRejectedException e) {
      // Agent runs come first.
    }
  }

  /**
   * One throw-away run of {@code code} on {@code profile} on the calling thread, with no bridge.
   *
   * @throws RunRejectedException when every slot is taken (agent runs come first)
   */
  public void warmUpRun(Profile profile, String runId, String code) {
    run(new RunRequest(runId, code, profile, null, Map.of(), HostBridge.NONE));
  }

  private void admit() {
    if (!admissions.tryAcquire()) {
      throw new RunRejectedException("busy: all " + slots + " run slots and the queue of " + queueCapacity
          + " are taken; retry after a few seconds");
    }
  }

  @Override
  public boolean cancel(String runId) {
    Waiting w = waiting.remove(runId);
    if (w != null && pool.remove(w.task())) {
      active.remove(runId);
      admissions.release();
      w.onDone().accept(cancelledBeforeStart(w.execution().request()));
      return true;
    }
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

  /** A run admitted and handed to the pool that no run thread has taken yet. */
  private record Waiting(Runnable task, RunExecution execution, Consumer<RunResult> onDone) {}

  /** What a run leaves for {@link #afterAnswer}: its watchdog timer and the key of its preparedContext. */
  private static final class Watch {
    volatile ScheduledFuture<?> timer;
    volatile ScheduledFuture<?> cpuTimer;
    PreparedContextPool.Key key;
  }

  private RunResult runWatched(RunExecution execution, Watch watch) {
    long wallMs = execution.limits().wallMs();
    active.put(execution.runId(), execution);
    if (execution.cancelledBeforeStart()) {
      return cancelledBeforeStart(execution.request());
    }
    Runnable arm = () -> {
      long armedAt = System.nanoTime();
      watch.timer = watchdog.schedule(() -> execution.stop(new LimitHit(LimitKind.WALL_TIME,
          "wall time budget of " + wallMs + " ms exceeded (" + (System.nanoTime() - armedAt) / 1_000_000 + " ms used)")),
          wallMs, TimeUnit.MILLISECONDS);
      if (contexts.selfEnforced()) {
        watch.cpuTimer = watchdog.scheduleAtFixedRate(execution::checkCpu, SelfEnforcedLimits.CPU_CHECK_MS,
            SelfEnforcedLimits.CPU_CHECK_MS, TimeUnit.MILLISECONDS);
      }
    };
    watch.key = new PreparedContextPool.Key(execution.request().profile(), execution.limits(), execution.request().servers());
    PreparedContext preparedContext = preparedPool.take(watch.key);
    return execution.execute(contexts, scripts, arm, preparedContext);
  }

  private void afterAnswer(RunExecution execution, Watch watch) {
    ScheduledFuture<?> t = watch.timer;
    if (t != null) {
      t.cancel(false);
    }
    ScheduledFuture<?> cpu = watch.cpuTimer;
    if (cpu != null) {
      cpu.cancel(false);
    }
    active.remove(execution.runId());
    // The next preparedContext's build starts first, so it overlaps this context's teardown.
    if (watch.key != null) {
      preparedPool.replenish(watch.key);
    }
    execution.release();
    Thread.interrupted();
  }

  private static RunResult cancelledBeforeStart(RunRequest request) {
    return RunResult.bare(request.runId(), RunStatus.CANCELLED, null, 0, 0);
  }

  @Override
  public boolean warm() {
    return true;
  }

  @Override
  public Walls walls() {
    return Walls.inProcess("isolation in-process");
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
    preparedPool.close();
    contexts.close();
  }

  /** Configures a {@link SandboxRunner}. */
  public static final class Builder {
    private int maxConcurrentRuns = Runtime.getRuntime().availableProcessors();
    private int queueCapacity = 64;
    private double heapThreshold = 0.85;
    private boolean filesOverBridge;
    private boolean selfEnforcedLimits;

    private Builder() {}

    /**
     * Enforce CPU time, statements, stack and code nesting here rather than through the engine's
     * {@code sandbox.*} options: for a JIT worker, whose Graal release has none.
     */
    public Builder selfEnforcedLimits(boolean enabled) {
      this.selfEnforcedLimits = enabled;
      return this;
    }

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
