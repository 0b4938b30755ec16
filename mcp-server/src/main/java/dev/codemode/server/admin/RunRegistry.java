package dev.codemode.server.admin;

import dev.codemode.server.audit.RunIdentity;
import dev.codemode.server.state.MemoryState;
import dev.codemode.server.state.SharedState;
import dev.codemode.server.state.StateUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs in flight, from admission until their answer, and the killswitch. A run can be asked to stop
 * before the runner has started it (it may wait in the queue), so stop requests are kept and a sweeper
 * re-sends them every {@value #SWEEP_MS} ms until the run ends; while the killswitch is on every run is stopped.
 * Through the {@link SharedState} the runs of every replica are listed and cancelled, and the killswitch is
 * thrown for all: pushed by the backend and re-read every poll interval; when the backend cannot be read the
 * last state seen stays in force (on stays on).
 */
public final class RunRegistry implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunRegistry.class);
  static final long SWEEP_MS = 50;
  private final Map<String, ActiveRun> runs = new ConcurrentHashMap<>();
  private final Set<String> doomed = ConcurrentHashMap.newKeySet();
  private final Set<String> stopped = ConcurrentHashMap.newKeySet();
  private final Predicate<String> cancel;
  private final Clock clock;
  private final ScheduledExecutorService sweeper;
  private final ScheduledExecutorService poller;
  private final SharedState state;
  private volatile Killswitch killswitch = Killswitch.OFF;

  /** {@code cancel} stops a run by id and says whether the runner had it; this replica is the only one. */
  public RunRegistry(Predicate<String> cancel, Clock clock) {
    this(cancel, clock, new MemoryState(), Duration.ZERO);
  }

  /**
   * {@code cancel} stops a run by id in this replica's runner; {@code state} is shared with the other replicas and
   * its killswitch re-read every {@code poll} (zero: never, it is pushed only).
   */
  public RunRegistry(Predicate<String> cancel, Clock clock, SharedState state, Duration poll) {
    this.cancel = cancel;
    this.clock = clock;
    this.state = state;
    this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "codemode-run-sweeper");
      t.setDaemon(true);
      return t;
    });
    sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    state.onKillswitch(this::seen);
    state.onCancel(this::cancelHere);
    // Its own thread: a Redis command waiting out its timeout must not hold up the sweeper's stop requests.
    this.poller = poll.isZero() ? null : Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "codemode-killswitch-poll");
      t.setDaemon(true);
      return t;
    });
    if (poller != null) {
      pollKillswitch();
      poller.scheduleWithFixedDelay(this::pollKillswitch, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Records an admitted run. */
  public void started(RunIdentity identity, String requestKey) {
    ActiveRun run = new ActiveRun(identity, requestKey, clock.millis());
    runs.put(identity.runId(), run);
    if (killswitch.engaged()) {
      doomed.add(identity.runId());
    }
    try {
      state.runStarted(run);
    } catch (StateUnavailableException e) {
      // Logged and counted by the backend; the run goes on, cancellable from this replica only.
    }
  }

  /** Forgets a finished run. */
  public void ended(String runId) {
    runs.remove(runId);
    doomed.remove(runId);
    stopped.remove(runId);
    try {
      state.runEnded(runId);
    } catch (StateUnavailableException e) {
      // Its key expires on its own.
    }
  }

  /** The runs in flight on every replica (this one's only while the backend is down), oldest first. */
  public List<ActiveRun> active() {
    List<ActiveRun> all;
    try {
      Map<String, ActiveRun> merged = new java.util.HashMap<>();
      state.runs().forEach(r -> merged.put(r.identity().runId(), r));
      runs.values().forEach(r -> merged.put(r.identity().runId(), r));
      all = List.copyOf(merged.values());
    } catch (StateUnavailableException e) {
      all = List.copyOf(runs.values());
    }
    return all.stream().sorted(java.util.Comparator.comparingLong(ActiveRun::startedAtMs)).toList();
  }

  /** Asks the run {@code runId} to stop, on whichever replica runs it; false when no such run is in flight. */
  public boolean cancel(String runId) {
    if (cancelHere(runId)) {
      return true;
    }
    try {
      return state.shared() && state.requestCancel(runId);
    } catch (StateUnavailableException e) {
      return false;
    }
  }

  private boolean cancelHere(String runId) {
    if (!runs.containsKey(runId)) {
      return false;
    }
    doomed.add(runId);
    sweep();
    return true;
  }

  /** Cancels the run answering transport request {@code requestKey} of {@code sessionId}, if any. */
  public Optional<String> cancelRequest(String sessionId, String requestKey) {
    for (ActiveRun r : runs.values()) {
      if (requestKey.equals(r.requestKey()) && sessionId.equals(r.identity().sessionId())) {
        cancel(r.identity().runId());
        return Optional.of(r.identity().runId());
      }
    }
    return Optional.empty();
  }

  /** Cancels every run of {@code sessionId} in flight on this replica (its session ended); answers their ids. */
  public List<String> cancelSession(String sessionId) {
    List<String> cancelled = runs.values().stream().filter(r -> sessionId.equals(r.identity().sessionId()))
        .map(r -> r.identity().runId()).toList();
    cancelled.forEach(this::cancelHere);
    return cancelled;
  }

  /** Turns the killswitch on (every run is cancelled, new runs refused) or off. */
  public Killswitch killswitch(boolean on, String by) {
    Killswitch k = on ? Killswitch.engaged(by, clock.millis()) : Killswitch.OFF;
    if (on) {
      seen(k); // This replica stops at once, whether or not the backend takes it.
    }
    state.writeKillswitch(k);
    seen(k);
    return k;
  }

  /** The backend says the killswitch is {@code k}. */
  private void seen(Killswitch k) {
    Killswitch before = killswitch;
    killswitch = k;
    if (k.engaged()) {
      doomed.addAll(runs.keySet());
      sweep();
    }
    if (before.engaged() != k.engaged() && state.shared()) {
      LOG.warn("killswitch {} (by {})", k.engaged() ? "ON" : "off", k.by());
    }
  }

  private void pollKillswitch() {
    try {
      Optional<Killswitch> held = state.readKillswitch();
      Killswitch last = killswitch;
      if (held.isPresent()) {
        seen(held.get());
      } else if (last.engaged()) {
        // The backend lost it (Redis restarted empty): put back the "on" this replica saw, for every replica.
        LOG.warn("the state backend holds no killswitch; restoring the last state seen here (ON since {})", last.sinceMs());
        state.writeKillswitch(last);
      }
    } catch (StateUnavailableException e) {
      // The last state seen stays in force: on stays on.
    } catch (RuntimeException e) {
      LOG.error("killswitch poll failed: {}", e.toString());
    }
  }

  /** The killswitch's state. */
  public Killswitch killswitch() {
    return killswitch;
  }

  private synchronized void sweep() {
    Collection<String> targets = killswitch.engaged() ? runs.keySet() : doomed;
    for (String runId : List.copyOf(targets)) {
      if (!stopped.contains(runId) && cancel.test(runId)) {
        stopped.add(runId);
      }
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    if (poller != null) {
      poller.shutdownNow();
    }
  }
}
