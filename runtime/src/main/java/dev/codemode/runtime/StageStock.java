package dev.codemode.runtime;

import dev.codemode.policies.ProcLimits;
import dev.codemode.policies.Profile;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps one {@link Stage} ready, or being built on a background thread, per recently used (profile,
 * limits, tool catalog). A run takes the stage of its key, waiting briefly for one already being built
 * (that is never slower than building its own beside it); after its answer is out it asks for the next
 * one with {@link #replenish}, or at once when it had to wait (runs arriving back to back). A run with other limits (a tighter {@code timeout_ms}) and no stage builds
 * its own context on its own thread as before.
 */
final class StageStock implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(StageStock.class.getName());
  private static final int MAX_KEYS = 8;
  /** How long a run waits for its key's stage under construction before building its own context. */
  private static final long MAX_WAIT_MS = 50;
  private final SandboxContexts contexts;
  private final GuestScripts scripts;
  private final boolean filesOverBridge;
  private final Map<Key, CompletableFuture<Stage>> next = new LinkedHashMap<>(16, 0.75f, true);
  private final ExecutorService builder = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(null, r, "codemode-stager", 64L << 20);
    t.setDaemon(true);
    return t;
  });
  private boolean closed;

  /** {@code filesOverBridge}: stages whose module files are bound to the claiming run's bridge (a worker). */
  StageStock(SandboxContexts contexts, GuestScripts scripts, boolean filesOverBridge) {
    this.contexts = contexts;
    this.scripts = scripts;
    this.filesOverBridge = filesOverBridge;
  }

  /** What a stage is built for: a run may only use a stage built for exactly its profile, limits and tools. */
  record Key(Profile profile, ProcLimits limits, Map<String, Map<String, String>> servers) {}

  /** The stage of {@code key} when one is ready or nearly so, else null; it belongs to the caller alone. */
  Stage take(Key key) {
    CompletableFuture<Stage> slot;
    synchronized (this) {
      if (closed) {
        return null;
      }
      slot = next.remove(key);
    }
    if (slot == null) {
      return null;
    }
    boolean wasReady = slot.isDone();
    try {
      Stage stage = slot.get(MAX_WAIT_MS, TimeUnit.MILLISECONDS);
      if (!wasReady) {
        // Runs are arriving faster than stages are built: start the next one now, beside this run,
        // rather than after its answer.
        replenish(key);
      }
      return stage;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Fall through: the run builds its own context.
    }
    discard(slot);
    return null;
  }

  /** Starts building the next stage of {@code key} unless one is ready or under way; never blocks. */
  void replenish(Key key) {
    CompletableFuture<Stage> slot = new CompletableFuture<>();
    CompletableFuture<Stage> evicted = null;
    synchronized (this) {
      if (closed || next.containsKey(key)) {
        return;
      }
      next.put(key, slot);
      if (next.size() > MAX_KEYS) {
        Iterator<Map.Entry<Key, CompletableFuture<Stage>>> oldest = next.entrySet().iterator();
        evicted = oldest.next().getValue();
        oldest.remove();
      }
    }
    if (evicted != null) {
      discard(evicted);
    }
    try {
      builder.execute(() -> build(key, slot));
    } catch (RejectedExecutionException e) {
      slot.cancel(false);
    }
  }

  private void build(Key key, CompletableFuture<Stage> slot) {
    if (slot.isDone()) {
      return;
    }
    try {
      Stage stage = Stage.build(contexts, scripts, key.profile(), key.limits(), key.servers(), filesOverBridge);
      if (!slot.complete(stage)) {
        stage.close();
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not prepare a context ahead of a run: {0}", e.toString());
      slot.completeExceptionally(e);
    }
  }

  /** Closes the stage of a slot nobody will claim, now or when its build ends. */
  private static void discard(CompletableFuture<Stage> slot) {
    slot.cancel(false);
    slot.thenAccept(Stage::close);
  }

  @Override
  public void close() {
    builder.shutdownNow();
    synchronized (this) {
      closed = true;
      next.values().forEach(StageStock::discard);
      next.clear();
    }
  }
}
