package dev.codemode.server.state;

import dev.codemode.policies.HttpSettings.RateLimit;
import dev.codemode.server.admin.ActiveRun;
import dev.codemode.server.admin.Killswitch;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The state replicas share: the killswitch, the runs in flight (and cancelling one on whichever replica has it)
 * and the per-principal token buckets. One implementation is chosen at start: {@link MemoryState} (this process
 * is the only replica) or {@link RedisState}. A method that needs the backend throws
 * {@link StateUnavailableException} when it cannot reach it; callers decide how to degrade.
 */
public interface SharedState extends AutoCloseable {
  /** Whether other replicas see what this one writes (false for memory). */
  boolean shared();

  /**
   * The killswitch as the backend holds it; empty when it holds none (a Redis that restarted empty), which is not
   * "off": only an operator's "off" is.
   */
  Optional<Killswitch> readKillswitch();

  /** Sets the killswitch for every replica; listeners everywhere hear of it. */
  void writeKillswitch(Killswitch k);

  /** {@code listener} hears killswitch changes pushed by the backend (a poll is still needed: pushes can be missed). */
  void onKillswitch(Consumer<Killswitch> listener);

  /** Announces a run in flight on this replica. */
  void runStarted(ActiveRun run);

  /** Withdraws a finished run. */
  void runEnded(String runId);

  /** The runs in flight on every replica, in no order. */
  List<ActiveRun> runs();

  /** Asks whichever replica runs {@code runId} to cancel it; false when no replica announced it. */
  boolean requestCancel(String runId);

  /** {@code listener} hears the run ids some replica asked to cancel. */
  void onCancel(Consumer<String> listener);

  /** Takes one token of {@code principal}'s bucket; empty when allowed, else the seconds until one is back. */
  OptionalLong tryAcquire(String principal, RateLimit limit);

  /**
   * The PII tokens of client session {@code session} (principal and MCP session) shared by the replicas, forgotten
   * {@code ttl} after their last use; empty for memory (the session's tokens live in this process only).
   */
  Optional<SharedPii> pii(String session, java.time.Duration ttl);

  /** Whether the backend answered its last command (always true for memory): the {@code codemode_state_backend_up} gauge. */
  boolean up();

  /** Where the state is, for logs (never a password). */
  String describe();

  @Override
  void close();
}
