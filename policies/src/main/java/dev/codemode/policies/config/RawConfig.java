package dev.codemode.policies.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
import java.util.Map;

/**
 * The YAML as written: every field nullable (absent = inherit), bound strictly (unknown keys fail).
 * Converted to the effective model by {@link ProfileMerger} and {@link ConfigValidator}.
 */
record RawConfig(
    @JsonProperty("profiles") Map<String, RawProfile> profiles,
    @JsonProperty("servers") Map<String, RawServer> servers,
    @JsonProperty("runtime") RawRuntime runtime,
    // Operational sections (RawOps.java)
    @JsonProperty("audit") RawOps.RawAudit audit,
    @JsonProperty("artifacts") RawOps.RawArtifacts artifacts,
    @JsonProperty("admin") RawOps.RawAdmin admin,
    @JsonProperty("quarantine") RawOps.RawQuarantine quarantine,
    @JsonProperty("pii") RawOps.RawPii pii,
    @JsonProperty("telemetry") RawOps.RawTelemetry telemetry,
    @JsonProperty("state") RawOps.RawState state,
    @JsonProperty("store") RawOps.RawStore store,
    // Serving over HTTP (RawServerSettings.java)
    @JsonProperty("http") RawServerSettings.RawHttp http,
    @JsonProperty("auth") RawServerSettings.RawAuth auth,
    // Secrets and the way out (RawEgress.java)
    @JsonProperty("credentials") Map<String, RawEgress.RawCredentialSource> credentials,
    @JsonProperty("upstream_proxy") RawEgress.RawUpstreamProxy upstreamProxy,
    @JsonProperty("stdio") RawServerSettings.RawStdio stdio) {

  record RawProfile(
      @JsonProperty("fs") RawFs fs,
      @JsonProperty("net") RawNet net,
      @JsonProperty("proc") RawProc proc,
      @JsonProperty("tools") RawTools tools,
      @JsonProperty("logging") RawLogging logging) {}

  record RawFs(
      @JsonProperty("mounts") List<RawMount> mounts,
      @JsonProperty("deny_globs") List<String> denyGlobs,
      @JsonProperty("max_bytes") Long maxBytes,
      @JsonProperty("max_files") Integer maxFiles,
      @JsonProperty("drop_builtin_deny_globs") List<String> dropBuiltinDenyGlobs) {}

  record RawMount(
      @JsonProperty("path") String path,
      @JsonProperty("rw") Boolean rw,
      @JsonProperty("source") String source) {}

  record RawNet(
      @JsonProperty("enabled") Boolean enabled,
      @JsonProperty("allow") List<RawRule> allow,
      @JsonProperty("deny") List<RawRule> deny,
      @JsonProperty("resolve") Map<String, String> resolve,
      @JsonProperty("max_requests") Integer maxRequests,
      @JsonProperty("max_request_bytes") Long maxRequestBytes,
      @JsonProperty("max_response_bytes") Long maxResponseBytes,
      @JsonProperty("timeout_ms") Long timeoutMs,
      @JsonProperty("rate_per_second") Double ratePerSecond,
      @JsonProperty("upstream_proxy") RawEgress.RawUpstreamProxy upstreamProxy) {}

  record RawRule(
      @JsonProperty("host") String host,
      @JsonProperty("schemes") List<String> schemes,
      @JsonProperty("ports") List<Integer> ports,
      @JsonProperty("methods") List<String> methods,
      @JsonProperty("paths") List<String> paths,
      @JsonProperty("allow_private") Boolean allowPrivate,
      @JsonProperty("credential") RawCredential credential,
      @JsonProperty("sign") RawEgress.RawSign sign) {}

  record RawCredential(@JsonProperty("header") String header, @JsonProperty("value") String value) {}

  record RawProc(
      @JsonProperty("wall_ms") Long wallMs,
      @JsonProperty("cpu_ms") Long cpuMs,
      @JsonProperty("mem_mb") Integer memMb,
      @JsonProperty("max_output_bytes") Integer maxOutputBytes,
      @JsonProperty("max_result_bytes") Integer maxResultBytes,
      @JsonProperty("max_statements") Long maxStatements,
      @JsonProperty("max_stack_frames") Integer maxStackFrames,
      @JsonProperty("max_ast_depth") Integer maxAstDepth,
      @JsonProperty("host_ms") Long hostMs) {}

  record RawTools(
      @JsonProperty("allow") List<String> allow,
      @JsonProperty("require_approval") List<String> requireApproval) {}

  record RawLogging(
      @JsonProperty("sample_ratio") Double sampleRatio,
      @JsonProperty("redact_pii") Boolean redactPii) {}

  record RawServer(
      @JsonProperty("command") String command,
      @JsonProperty("args") List<String> args,
      @JsonProperty("env") Map<String, String> env,
      @JsonProperty("url") String url,
      @JsonProperty("headers") Map<String, String> headers,
      @JsonProperty("description") String description,
      @JsonProperty("start") String start,
      @JsonProperty("call_timeout_ms") Long callTimeoutMs) {}

  record RawRuntime(
      @JsonProperty("isolation") String isolation,
      @JsonProperty("jail") String jail,
      @JsonProperty("max_concurrent_runs") Integer maxConcurrentRuns,
      @JsonProperty("queue_capacity") Integer queueCapacity,
      @JsonProperty("worker_pool_size") Integer workerPoolSize,
      @JsonProperty("worker_max_runs") Integer workerMaxRuns,
      @JsonProperty("jit") @JsonDeserialize(using = OnOffText.class) String jit) {}
}
