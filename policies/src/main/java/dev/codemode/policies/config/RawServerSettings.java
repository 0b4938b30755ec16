package dev.codemode.policies.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The {@code http:} and {@code auth:} keys as written: every field nullable (absent = default), bound strictly. */
final class RawServerSettings {
  private RawServerSettings() {}

  record RawHttp(
      @JsonProperty("stateless") Boolean stateless,
      @JsonProperty("allowed_origins") List<String> allowedOrigins,
      @JsonProperty("allowed_hosts") List<String> allowedHosts,
      @JsonProperty("max_request_bytes") Long maxRequestBytes,
      @JsonProperty("max_header_bytes") Integer maxHeaderBytes,
      @JsonProperty("shutdown_grace_ms") Long shutdownGraceMs,
      @JsonProperty("rate_limit") RawRateLimit rateLimit) {}

  record RawRateLimit(
      @JsonProperty("per_minute") Double perMinute,
      @JsonProperty("burst") Integer burst) {}

  record RawAuth(
      @JsonProperty("tokens") List<RawToken> tokens,
      @JsonProperty("oauth") RawOAuth oauth) {}

  record RawStdio(@JsonProperty("profiles") List<String> profiles) {}

  record RawToken(
      @JsonProperty("principal") String principal,
      @JsonProperty("sha256") String sha256,
      @JsonProperty("profiles") List<String> profiles) {}

  record RawOAuth(
      @JsonProperty("resource") String resource,
      @JsonProperty("issuer") String issuer,
      @JsonProperty("audience") List<String> audience,
      @JsonProperty("jwks_url") String jwksUrl,
      @JsonProperty("jwks_file") String jwksFile,
      @JsonProperty("authorization_servers") List<String> authorizationServers,
      @JsonProperty("required_scopes") List<String> requiredScopes,
      @JsonProperty("profiles") List<String> profiles,
      @JsonProperty("scope_profiles") Map<String, List<String>> scopeProfiles,
      @JsonProperty("principal_claim") String principalClaim,
      @JsonProperty("clock_skew_s") Long clockSkewSeconds) {}
}
