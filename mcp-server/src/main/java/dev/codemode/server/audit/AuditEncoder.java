package dev.codemode.server.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each audit logging event as one flat JSON line through {@link AuditJson}: the event's key-value
 * pairs are its fields, with their types kept (numbers stay numbers).
 */
public final class AuditEncoder extends EncoderBase<ILoggingEvent> {
  private static final byte[] NONE = new byte[0];

  @Override
  public byte[] headerBytes() {
    return NONE;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    Map<String, Object> fields = new LinkedHashMap<>();
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        fields.put(kv.key, kv.value);
      }
    }
    String line = AuditJson.line(fields, event.getInstant(), AuditJson.level(!event.getLevel().isGreaterOrEqual(Level.WARN)));
    return (line + "\n").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return NONE;
  }
}
