package dev.codemode.runtime.worker;

import dev.codemode.runtime.GuestError;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.Runner;
import dev.codemode.runtime.Walls;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The runner of a server whose walls may still be being found: the first worker JVM and its jail are
 * started on a thread of their own, so the server answers its clients meanwhile. Until the walls are
 * known no run executes: a run that comes first waits for them and then runs behind exactly those walls;
 * {@link #walls()} is empty and {@link #warm()} false, so readiness and metrics say nothing untrue.
 */
public final class StartingRunner implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(StartingRunner.class.getName());
  private final CompletableFuture<Runner> chosen = new CompletableFuture<>();
  /** Runs waiting for the walls, by run id; completing one exceptionally cancels that run. */
  private final Map<String, CompletableFuture<Runner>> waiting = new ConcurrentHashMap<>();

  private StartingRunner() {}

  /** A runner already chosen (its walls are known). */
  static StartingRunner of(Runner runner) {
    StartingRunner s = new StartingRunner();
    s.chosen.complete(runner);
    return s;
  }

  /** A runner that {@code choose} builds on a thread of its own, the walls line logged as it does. */
  static StartingRunner inBackground(Supplier<Runner> choose) {
    StartingRunner s = new StartingRunner();
    Thread t = new Thread(() -> {
      Runner r;
      try {
        r = choose.get();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "no runner could start; runs fail until restart: {0}", e.getMessage());
        s.chosen.completeExceptionally(e);
        return;
      }
      if (!s.chosen.complete(r)) {
        r.close(); // closed while the walls were being found
      }
    }, "codemode-walls");
    t.setDaemon(true);
    t.start();
    return s;
  }

  /** Completes with the chosen runner once the walls are known. */
  public CompletionStage<Runner> started() {
    return chosen.minimalCompletionStage();
  }

  /** As {@link Runner#run}, after waiting for the walls when they are not known yet. */
  public RunResult run(RunRequest request) {
    Runner r = now();
    if (r == null) {
      // The run's own view of the choice: cancelling it (see cancel) ends this wait, not the choice.
      CompletableFuture<Runner> mine = chosen.copy();
      waiting.put(request.runId(), mine);
      try {
        r = mine.get(WorkerPool.READY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (CancellationException e) {
        return RunResult.bare(request.runId(), RunStatus.CANCELLED, null, 0, -1);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof CancellationException) {
          return RunResult.bare(request.runId(), RunStatus.CANCELLED, null, 0, -1); // the server is closing
        }
        return RunResult.bare(request.runId(), RunStatus.INTERNAL_ERROR,
            GuestError.internal("the runtime could not start, so the walls around runs are not known"), 0, -1);
      } catch (TimeoutException e) {
        return RunResult.bare(request.runId(), RunStatus.INTERNAL_ERROR, GuestError.internal(
            "the walls around runs were not known within " + WorkerPool.READY_TIMEOUT_MS + " ms"), 0, -1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return RunResult.bare(request.runId(), RunStatus.CANCELLED, null, 0, -1);
      } finally {
        waiting.remove(request.runId());
      }
    }
    return r.run(request);
  }

  /** Cancels a run, also one still waiting for the walls; returns whether one was found. */
  public boolean cancel(String runId) {
    CompletableFuture<Runner> w = waiting.get(runId);
    if (w != null && w.cancel(false)) {
      return true;
    }
    Runner r = now();
    return r != null && r.cancel(runId);
  }

  /** The ids of the runs executing now (a run waiting for the walls is not executing). */
  public Collection<String> activeRunIds() {
    Runner r = now();
    return r == null ? List.of() : r.activeRunIds();
  }

  /** The chosen runner's description, or that the walls are still being found. */
  public String describe() {
    Runner r = now();
    return r == null ? "starting: the walls around runs are being found (runs wait for them)" : r.describe();
  }

  /** Whether runs start now on warm capacity: never before the walls are known. */
  public boolean warm() {
    Runner r = now();
    return r != null && r.warm();
  }

  /** The walls around runs, or empty while they are still being found. */
  public Optional<Walls> walls() {
    Runner r = now();
    return r == null ? Optional.empty() : Optional.of(r.walls());
  }

  /** The chosen runner, or null while it is being chosen (or when it could not be). */
  private Runner now() {
    return chosen.isDone() && !chosen.isCompletedExceptionally() ? chosen.join() : null;
  }

  @Override
  public void close() {
    if (!chosen.completeExceptionally(new CancellationException("the runner was closed"))) {
      Runner r = now();
      if (r != null) {
        r.close();
      }
    }
  }
}
