package dev.codemode.policies.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The operational top-level sections as written: every field nullable (absent = inherit), bound strictly. */
final class RawOps {
  private RawOps() {}

  record RawAudit(
      @JsonProperty("sink") String sink,
      @JsonProperty("path") String path,
      @JsonProperty("max_file_mb") Integer maxFileMb,
      @JsonProperty("max_history") Integer maxHistory) {}

  record RawArtifacts(
      @JsonProperty("dir") String dir,
      @JsonProperty("max_run_mb") Integer maxRunMb,
      @JsonProperty("max_total_mb") Integer maxTotalMb,
      @JsonProperty("retention_hours") Integer retentionHours,
      @JsonProperty("max_principal_mb") Integer maxPrincipalMb) {}

  record RawAdmin(
      @JsonProperty("enabled") Boolean enabled,
      @JsonProperty("listen") String listen,
      @JsonProperty("token") String token) {}

  record RawQuarantine(
      @JsonProperty("dir") String dir,
      @JsonProperty("triggers") List<String> triggers,
      @JsonProperty("max_bundle_mb") Integer maxBundleMb,
      @JsonProperty("max_total_mb") Integer maxTotalMb,
      @JsonProperty("retention_days") Integer retentionDays) {}

  record RawPii(
      @JsonProperty("ttl_minutes") Integer ttlMinutes,
      @JsonProperty("patterns") List<RawPiiPattern> patterns) {}

  record RawTelemetry(
      @JsonProperty("otlp_endpoint") String otlpEndpoint,
      @JsonProperty("service_name") String serviceName) {}

  record RawPiiPattern(@JsonProperty("name") String name, @JsonProperty("regex") String regex) {}

  record RawState(
      @JsonProperty("backend") String backend,
      @JsonProperty("url") String url,
      @JsonProperty("poll_ms") Integer pollMs,
      @JsonProperty("timeout_ms") Integer timeoutMs,
      @JsonProperty("key_prefix") String keyPrefix) {}

  record RawStore(
      @JsonProperty("backend") String backend,
      @JsonProperty("s3") RawS3 s3) {}

  record RawS3(
      @JsonProperty("endpoint") String endpoint,
      @JsonProperty("bucket") String bucket,
      @JsonProperty("prefix") String prefix,
      @JsonProperty("region") String region,
      @JsonProperty("path_style") Boolean pathStyle) {}
}
