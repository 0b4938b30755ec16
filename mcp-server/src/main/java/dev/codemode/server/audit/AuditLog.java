package dev.codemode.server.audit;

import java.util.Map;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Writes audit events through slf4j as typed key-value pairs (the {@link AuditEncoder} turns them into one JSON
 * line each); routine events are sampled per run, the rest never.
 */
public final class AuditLog {
  private final Logger logger;
  private final SecretScrubber scrubber;
  private final DoubleSupplier random;

  public AuditLog(Logger logger, SecretScrubber scrubber, DoubleSupplier random) {
    this.logger = logger;
    this.scrubber = scrubber;
    this.random = random;
  }

  /** Starts the audit trail of one run; {@code sampleRatio} decides once whether its routine events are logged. */
  public RunAudit begin(RunIdentity identity, PolicySnapshot policy, CodeFingerprint code, double sampleRatio,
      java.util.function.UnaryOperator<String> pii) {
    boolean sampled = sampleRatio >= 1.0 || (sampleRatio > 0 && random.getAsDouble() < sampleRatio);
    return new RunAudit(this, identity, policy, code, sampled, pii);
  }

  /**
   * An event outside any run (an operator action, a refused call): never sampled, strings scrubbed;
   * {@code fields} are named as in {@code audit-event.schema.json} ({@code user.name}, {@code codemode.*});
   * {@code event.outcome} is {@code unknown} unless they set it.
   */
  public void event(String type, Map<String, Object> fields) {
    Map<String, Object> f = new java.util.LinkedHashMap<>();
    f.put("@timestamp", java.time.Instant.now());
    f.put("event.kind", "event");
    f.put("event.action", type);
    f.put("event.outcome", "unknown");
    fields.forEach((k, v) -> f.put(k, v instanceof String s ? scrub(s) : v));
    write(new AuditEvent(type, false, f));
  }

  String scrub(String text) {
    return scrubber.scrub(text);
  }

  void write(AuditEvent event) {
    Level level = event.routine() ? Level.INFO : Level.WARN;
    LoggingEventBuilder b = logger.atLevel(level).setMessage(event.type());
    for (Map.Entry<String, Object> f : event.fields().entrySet()) {
      if (f.getValue() != null) {
        b = b.addKeyValue(f.getKey(), f.getValue());
      }
    }
    b.log();
  }
}
