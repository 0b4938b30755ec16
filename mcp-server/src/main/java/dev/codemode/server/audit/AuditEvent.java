package dev.codemode.server.audit;

import java.util.Map;

/**
 * One audit event as logged: its type ({@code run_start}, {@code denial}, …), whether it is routine (subject
 * to sampling) and its fields, already scrubbed of secrets and PII.
 */
public record AuditEvent(String type, boolean routine, Map<String, Object> fields) {
  public AuditEvent {
    fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
  }
}
