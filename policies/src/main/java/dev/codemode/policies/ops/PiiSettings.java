package dev.codemode.policies.ops;

import java.util.List;

/**
 * PII tokenization settings (whether it applies is per profile: {@code logging.redact_pii}).
 *
 * @param ttlMinutes how long an unused token keeps its real value
 * @param patterns extra patterns beyond the built-in email, phone, card and IBAN detectors
 */
public record PiiSettings(long ttlMinutes, List<PiiPattern> patterns) {
  public PiiSettings {
    patterns = List.copyOf(patterns);
  }
}
