package dev.codemode.runtime;

import dev.codemode.policies.ProcLimits;
import dev.codemode.policies.Profile;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Keeps one {@link Stage} ready per recently used (profile, limits, tool catalog), built on a background
 * thread. A run takes the ready stage when its key matches and the next one is built behind it; a run
 * with other limits (a tighter {@code timeout_ms}) builds its own context on its own thread as before.
 */
final class StageStock implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(StageStock.class.getName());
  private static final int MAX_KEYS = 8;
  private final SandboxContexts contexts;
  private final GuestScripts scripts;
  private final Map<Key, Stage> ready = new LinkedHashMap<>(16, 0.75f, true);
  private final ExecutorService builder = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(null, r, "codemode-stager", 64L << 20);
    t.setDaemon(true);
    return t;
  });
  private boolean closed;

  StageStock(SandboxContexts contexts, GuestScripts scripts) {
    this.contexts = contexts;
    this.scripts = scripts;
  }

  /** What a stage is built for: a run may only use a stage built for exactly its profile, limits and tools. */
  record Key(Profile profile, ProcLimits limits, Map<String, Map<String, String>> servers) {}

  /** The ready stage for {@code key}, or null; either way a fresh one is then built for the next run. */
  Stage take(Key key) {
    Stage stage;
    synchronized (this) {
      if (closed) {
        return null;
      }
      stage = ready.remove(key);
    }
    builder.execute(() -> refill(key));
    return stage;
  }

  private void refill(Key key) {
    synchronized (this) {
      if (closed || ready.containsKey(key)) {
        return;
      }
    }
    Stage stage;
    try {
      stage = Stage.build(contexts, scripts, key.profile(), key.limits(), key.servers());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not prepare a context ahead of a run: {0}", e.toString());
      return;
    }
    Stage evicted = null;
    synchronized (this) {
      if (closed) {
        evicted = stage;
      } else {
        ready.put(key, stage);
        if (ready.size() > MAX_KEYS) {
          Iterator<Map.Entry<Key, Stage>> oldest = ready.entrySet().iterator();
          evicted = oldest.next().getValue();
          oldest.remove();
        }
      }
    }
    if (evicted != null) {
      evicted.close();
    }
  }

  @Override
  public void close() {
    builder.shutdownNow();
    synchronized (this) {
      closed = true;
      ready.values().forEach(Stage::close);
      ready.clear();
    }
  }
}
