package dev.codemode.server.pii;

import dev.codemode.policies.ops.PiiSettings;
import dev.codemode.server.state.MemoryState;
import dev.codemode.server.state.SharedPii;
import dev.codemode.server.state.SharedState;
import dev.codemode.server.state.StateUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The PII tokenizers of all client sessions on this host, one per session (principal and MCP session); a session idle
 * past the TTL is dropped. With a shared state backend the tokens are shared with the other replicas, keyed the same way.
 */
public final class PiiVault {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PiiVault.class);
  private final PiiDetector detector;
  private final Duration ttl;
  private final Clock clock;
  private final SharedState state;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  private record Session(PiiTokenizer tokenizer, long[] lastUsed) {}

  public PiiVault(PiiSettings settings, Clock clock) {
    this(settings, clock, new MemoryState());
  }

  /** A vault whose sessions' tokens are shared with the other replicas through {@code state} (when it is shared). */
  public PiiVault(PiiSettings settings, Clock clock, SharedState state) {
    this.detector = new PiiDetector(settings.patterns());
    this.ttl = Duration.ofMinutes(settings.ttlMinutes());
    this.clock = clock;
    this.state = state;
  }

  /** The tokenizer of {@code sessionId}, created on first use. */
  public PiiTokenizer session(String sessionId) {
    long now = clock.millis();
    sessions.entrySet().removeIf(e -> e.getValue().lastUsed()[0] < now - ttl.toMillis());
    Session s = sessions.computeIfAbsent(sessionId, id -> new Session(
        new PiiTokenizer(detector, ttl, clock, state.pii(id, ttl).orElse(null)), new long[1]));
    s.lastUsed()[0] = now;
    return s.tokenizer();
  }

  /**
   * Forgets a session's values at once, here and in the shared store (its client ended it). Where the shared
   * store is down, its copy lapses at the TTL: said in the log, not hidden.
   */
  public void endSession(String sessionId) {
    sessions.remove(sessionId);
    try {
      state.pii(sessionId, ttl).ifPresent(SharedPii::forget);
    } catch (StateUnavailableException e) {
      LOG.warn("the PII tokens of an ended session stay in the state backend until their TTL ({} min): {}",
          ttl.toMinutes(), e.getMessage());
    }
  }
}
