package dev.codemode.server.state;

import dev.codemode.policies.HttpSettings.RateLimit;
import dev.codemode.server.admin.ActiveRun;
import dev.codemode.server.admin.Killswitch;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** The state of a single replica, in this JVM: what codemode does with {@code state: {backend: memory}}. */
public final class MemoryState implements SharedState {
  private final Map<String, ActiveRun> runs = new ConcurrentHashMap<>();
  private final List<Consumer<Killswitch>> killswitchListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> cancelListeners = new CopyOnWriteArrayList<>();
  private final LocalTokenBuckets buckets;
  private volatile Killswitch killswitch = Killswitch.OFF;

  public MemoryState() {
    this(System::nanoTime);
  }

  MemoryState(LongSupplier nanoClock) {
    this.buckets = new LocalTokenBuckets(nanoClock);
  }

  @Override
  public boolean shared() {
    return false;
  }

  @Override
  public Optional<Killswitch> readKillswitch() {
    return Optional.of(killswitch);
  }

  @Override
  public void writeKillswitch(Killswitch k) {
    killswitch = k;
    killswitchListeners.forEach(l -> l.accept(k));
  }

  @Override
  public void onKillswitch(Consumer<Killswitch> listener) {
    killswitchListeners.add(listener);
  }

  @Override
  public void runStarted(ActiveRun run) {
    runs.put(run.identity().runId(), run);
  }

  @Override
  public void runEnded(String runId) {
    runs.remove(runId);
  }

  @Override
  public List<ActiveRun> runs() {
    return List.copyOf(runs.values());
  }

  @Override
  public boolean requestCancel(String runId) {
    if (!runs.containsKey(runId)) {
      return false;
    }
    cancelListeners.forEach(l -> l.accept(runId));
    return true;
  }

  @Override
  public void onCancel(Consumer<String> listener) {
    cancelListeners.add(listener);
  }

  @Override
  public OptionalLong tryAcquire(String principal, RateLimit limit) {
    return buckets.tryAcquire(principal, limit);
  }

  @Override
  public Optional<SharedPii> pii(String session, java.time.Duration ttl) {
    return Optional.empty();
  }

  @Override
  public boolean up() {
    return true;
  }

  @Override
  public String describe() {
    return "memory (this replica only)";
  }

  @Override
  public void close() {}
}
