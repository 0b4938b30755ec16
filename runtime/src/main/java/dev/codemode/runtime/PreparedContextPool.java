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
 * Keeps one {@link PreparedContext} ready, or being built on a background thread, per recently used (profile,
 * limits, tool catalog). A run takes the prepared context of its key, waiting briefly for one already being built
 * (that is never slower than building its own beside it); after its answer is out it asks for the next
 * one with {@link #replenish}, or at once when it had to wait (runs arriving back to back). A run with
 * other limits (a tighter {@code timeout_ms}) and no prepared context builds its own on its own thread,
 * with the same {@link PreparedContext#build}.
 */
final class PreparedContextPool implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PreparedContextPool.class.getName());
  private static final int MAX_KEYS = 8;
  /** How long a run waits for its key's preparedContext under construction before building its own context. */
  private static final long MAX_WAIT_MS = 50;
  private final SandboxContexts contexts;
  private final GuestScripts scripts;
  private final boolean filesOverBridge;
  private final Map<Key, CompletableFuture<PreparedContext>> next = new LinkedHashMap<>(16, 0.75f, true);
  private final ExecutorService builder = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(null, r, "codemode-context-preparer", 64L << 20);
    t.setDaemon(true);
    return t;
  });
  private boolean closed;

  /** {@code filesOverBridge}: prepared contexts whose module files are bound to the claiming run's bridge (a worker). */
  PreparedContextPool(SandboxContexts contexts, GuestScripts scripts, boolean filesOverBridge) {
    this.contexts = contexts;
    this.scripts = scripts;
    this.filesOverBridge = filesOverBridge;
  }

  /** What a preparedContext is built for: a run may only use a preparedContext built for exactly its profile, limits and tools. */
  record Key(Profile profile, ProcLimits limits, Map<String, Map<String, String>> servers) {}

  /** The preparedContext of {@code key} when one is ready or nearly so, else null; it belongs to the caller alone. */
  PreparedContext take(Key key) {
    CompletableFuture<PreparedContext> slot;
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
      PreparedContext preparedContext = slot.get(MAX_WAIT_MS, TimeUnit.MILLISECONDS);
      if (!wasReady) {
        // Runs are arriving faster than contexts are prepared: start the next one now, beside this run,
        // rather than after its answer.
        replenish(key);
      }
      return preparedContext;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Fall through: the run builds its own context.
    }
    discard(slot);
    return null;
  }

  /** Starts building the next preparedContext of {@code key} unless one is ready or under way; never blocks. */
  void replenish(Key key) {
    CompletableFuture<PreparedContext> slot = new CompletableFuture<>();
    CompletableFuture<PreparedContext> evicted = null;
    synchronized (this) {
      if (closed || next.containsKey(key)) {
        return;
      }
      next.put(key, slot);
      if (next.size() > MAX_KEYS) {
        Iterator<Map.Entry<Key, CompletableFuture<PreparedContext>>> oldest = next.entrySet().iterator();
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

  private void build(Key key, CompletableFuture<PreparedContext> slot) {
    if (slot.isDone()) {
      return;
    }
    try {
      PreparedContext preparedContext = PreparedContext.build(contexts, scripts, key.profile(), key.limits(), key.servers(), filesOverBridge);
      if (!slot.complete(preparedContext)) {
        preparedContext.close();
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not prepare a context ahead of a run: {0}", e.toString());
      slot.completeExceptionally(e);
    }
  }

  /** Closes the preparedContext of a slot nobody will claim, now or when its build ends. */
  private static void discard(CompletableFuture<PreparedContext> slot) {
    slot.cancel(false);
    slot.thenAccept(PreparedContext::close);
  }

  @Override
  public void close() {
    builder.shutdownNow();
    synchronized (this) {
      closed = true;
      next.values().forEach(PreparedContextPool::discard);
      next.clear();
    }
  }
}
