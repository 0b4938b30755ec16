package dev.codemode.policies.ops;

import java.net.URI;

/**
 * Where traces go: OpenTelemetry spans over OTLP/HTTP (protobuf) to {@code tracesEndpoint}, or nowhere.
 *
 * @param tracesEndpoint the collector's traces URL ({@code …/v1/traces}), null when tracing is off
 * @param serviceName the {@code service.name} resource attribute of every span
 */
public record TelemetrySettings(URI tracesEndpoint, String serviceName) {
  /** Tracing off. */
  public static final TelemetrySettings OFF = new TelemetrySettings(null, "codemode");

  /** Whether spans are exported. */
  public boolean enabled() {
    return tracesEndpoint != null;
  }
}
