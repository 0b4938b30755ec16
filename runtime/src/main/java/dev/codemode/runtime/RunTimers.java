package dev.codemode.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.graalvm.polyglot.Value;

/**
 * A run's timers on the host side. One shared clock thread only tells the run when a timer is due;
 * the guest's callback then runs on the context's own thread, from the run's completion queue. At most
 * {@link #MAX_PENDING} may be pending at once, and {@link #cancelAll} ends every one with the run.
 * Touched only from the context's thread, except the clock's hand-off.
 */
final class RunTimers {
  /** Pending timers one run may hold: far above what retry and polling code needs, far below a flood. */
  static final int MAX_PENDING = 1000;

  private static final ScheduledExecutorService CLOCK = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "codemode-timers");
    t.setDaemon(true);
    return t;
  });

  private final Consumer<Runnable> onContextThread;
  private final Map<Integer, ScheduledFuture<?>> pending = new HashMap<>();
  private boolean ended;

  /** {@code onContextThread} queues work for the thread that runs the context. */
  RunTimers(Consumer<Runnable> onContextThread) {
    this.onContextThread = onContextThread;
  }

  /** The number of timers armed and not yet fired or cleared. */
  int pending() {
    return pending.size();
  }

  /**
   * Arms timer {@code id} to call {@code fire(id)} after {@code delayMs}; false, and nothing armed, when
   * {@link #MAX_PENDING} timers are already pending.
   */
  boolean arm(int id, long delayMs, Value fire) {
    if (ended) {
      return true;
    }
    if (pending.size() >= MAX_PENDING && !pending.containsKey(id)) {
      return false;
    }
    ScheduledFuture<?> f = CLOCK.schedule(() -> onContextThread.accept(() -> due(id, fire)), delayMs, TimeUnit.MILLISECONDS);
    ScheduledFuture<?> earlier = pending.put(id, f);
    if (earlier != null) {
      earlier.cancel(false);
    }
    return true;
  }

  /** Clears timer {@code id}: a wake-up already queued finds it gone and does nothing. */
  void disarm(int id) {
    ScheduledFuture<?> f = pending.remove(id);
    if (f != null) {
      f.cancel(false);
    }
  }

  /** Ends every pending timer: nothing the run armed outlives it. */
  void cancelAll() {
    ended = true;
    pending.values().forEach(f -> f.cancel(false));
    pending.clear();
  }

  private void due(int id, Value fire) {
    if (!ended && pending.remove(id) != null) {
      fire.execute(id);
    }
  }
}
