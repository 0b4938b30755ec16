package dev.codemode.server.admin;

import dev.codemode.server.audit.RunIdentity;
import java.time.Clock;
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
 */
public final class RunRegistry implements AutoCloseable {
  static final long SWEEP_MS = 50;
  private final Map<String, ActiveRun> runs = new ConcurrentHashMap<>();
  private final Set<String> doomed = ConcurrentHashMap.newKeySet();
  private final Set<String> stopped = ConcurrentHashMap.newKeySet();
  private final Predicate<String> cancel;
  private final Clock clock;
  private final ScheduledExecutorService sweeper;
  private volatile Killswitch killswitch = Killswitch.OFF;

  /** {@code cancel} stops a run by id and says whether the runner had it. */
  public RunRegistry(Predicate<String> cancel, Clock clock) {
    this.cancel = cancel;
    this.clock = clock;
    this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "codemode-run-sweeper");
      t.setDaemon(true);
      return t;
    });
    sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
  }

  /** Records an admitted run. */
  public void started(RunIdentity identity, String requestKey) {
    runs.put(identity.runId(), new ActiveRun(identity, requestKey, clock.millis()));
    if (killswitch.engaged()) {
      doomed.add(identity.runId());
    }
  }

  /** Forgets a finished run. */
  public void ended(String runId) {
    runs.remove(runId);
    doomed.remove(runId);
    stopped.remove(runId);
  }

  /** The runs in flight, oldest first. */
  public List<ActiveRun> active() {
    return runs.values().stream().sorted(java.util.Comparator.comparingLong(ActiveRun::startedAtMs)).toList();
  }

  /** Asks the run {@code runId} to stop; false when no such run is in flight. */
  public boolean cancel(String runId) {
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

  /** Turns the killswitch on (every run is cancelled, new runs refused) or off. */
  public Killswitch killswitch(boolean on, String by) {
    Killswitch k = on ? Killswitch.engaged(by, clock.millis()) : Killswitch.OFF;
    killswitch = k;
    if (on) {
      doomed.addAll(runs.keySet());
      sweep();
    }
    return k;
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
  }
}
