package dev.codemode.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.codemode.policies.AuthSettings;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.EgressRuleSpec;
import dev.codemode.policies.Profile;
import java.util.TreeMap;

/** Prints each profile's effective policy as YAML, with credential values masked and token hashes left out. */
final class EffectivePolicyPrinter {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private EffectivePolicyPrinter() {}

  static String print(CodemodeConfig cfg) {
    ObjectNode root = YAML.createObjectNode();
    ObjectNode profiles = root.putObject("profiles");
    new TreeMap<>(cfg.profiles()).forEach((name, p) -> profiles.set(name, profile(p)));
    ObjectNode servers = root.putObject("servers");
    cfg.servers().forEach((name, s) -> {
      ObjectNode n = servers.putObject(name);
      if (s.isStdio()) {
        n.put("command", s.command());
        n.putPOJO("args", s.args());
        n.putPOJO("env", s.env().keySet());
      } else {
        n.put("url", s.url());
        n.putPOJO("headers", s.headers().keySet());
      }
      n.put("start", s.lazy() ? "lazy" : "boot");
    });
    ObjectNode rt = root.putObject("runtime");
    rt.put("isolation", cfg.runtime().isolation().wireName());
    rt.put("jail", cfg.runtime().jail().wireName());
    rt.put("jit", cfg.runtime().jit().wireName());
    rt.put("max_concurrent_runs", cfg.runtime().maxConcurrentRuns());
    rt.put("queue_capacity", cfg.runtime().queueCapacity());
    rt.put("worker_pool_size", cfg.runtime().workerPoolSize());
    rt.put("worker_max_runs", cfg.runtime().workerMaxRuns());
    ObjectNode http = root.putObject("http");
    http.put("stateless", cfg.http().stateless());
    http.putPOJO("allowed_origins", cfg.http().allowedOrigins());
    http.putPOJO("allowed_hosts", cfg.http().allowedHosts());
    http.put("max_request_bytes", cfg.http().maxRequestBytes());
    http.put("max_header_bytes", cfg.http().maxHeaderBytes());
    http.put("shutdown_grace_ms", cfg.http().shutdownGraceMs());
    http.putObject("rate_limit").put("per_minute", cfg.http().rateLimit().perMinute())
        .put("burst", cfg.http().rateLimit().burst());
    ObjectNode auth = root.putObject("auth");
    ObjectNode tokens = auth.putObject("tokens");
    cfg.auth().tokens().forEach(t -> tokens.putPOJO(t.principal(), t.profiles()));
    AuthSettings.OAuthSettings o = cfg.auth().oauth();
    if (o != null) {
      ObjectNode on = auth.putObject("oauth");
      on.put("resource", o.resource());
      on.put("issuer", o.issuer());
      on.putPOJO("audience", o.audiences());
      on.put(o.jwksUrl() != null ? "jwks_url" : "jwks_file", o.jwksUrl() != null ? o.jwksUrl() : o.jwksFile());
      on.putPOJO("required_scopes", o.requiredScopes());
      on.putPOJO("profiles", o.profiles());
      on.putPOJO("scope_profiles", new TreeMap<>(o.scopeProfiles()));
    }
    try {
      return YAML.writeValueAsString(root);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode profile(Profile p) {
    ObjectNode n = YAML.createObjectNode();
    ObjectNode fs = n.putObject("fs");
    var mounts = fs.putArray("mounts");
    p.fs().mounts().forEach(m -> {
      ObjectNode mount = mounts.addObject().put("path", m.path()).put("rw", m.rw());
      if (m.source() != null) {
        mount.put("source", m.source());
      }
    });
    fs.putPOJO("deny_globs", p.fs().denyGlobs());
    fs.put("max_bytes", p.fs().maxBytes());
    fs.put("max_files", p.fs().maxFiles());
    ObjectNode net = n.putObject("net");
    net.put("enabled", p.net().enabled());
    net.putPOJO("allow", p.net().allow().stream().map(EffectivePolicyPrinter::rule).toList());
    net.putPOJO("deny", p.net().deny().stream().map(EffectivePolicyPrinter::rule).toList());
    net.putPOJO("resolve", p.net().resolve());
    net.put("max_requests", p.net().maxRequests());
    net.put("max_request_bytes", p.net().maxRequestBytes());
    net.put("max_response_bytes", p.net().maxResponseBytes());
    net.put("timeout_ms", p.net().timeoutMs());
    net.put("rate_per_second", p.net().ratePerSecond());
    if (p.net().upstreamProxy() != null) {
      // The URL and no_proxy only: credentials are named by whether they are set, never shown.
      net.putObject("upstream_proxy").put("url", p.net().upstreamProxy().describe())
          .put("credentials", p.net().upstreamProxy().proxyAuthorization() == null ? "none" : "<redacted>")
          .putPOJO("no_proxy", p.net().upstreamProxy().noProxy());
    }
    ObjectNode proc = n.putObject("proc");
    proc.put("wall_ms", p.proc().wallMs());
    proc.put("cpu_ms", p.proc().cpuMs());
    proc.put("host_ms", p.proc().hostMs());
    proc.put("mem_mb", p.proc().memMb());
    proc.put("max_output_bytes", p.proc().maxOutputBytes());
    proc.put("max_result_bytes", p.proc().maxResultBytes());
    proc.put("max_statements", p.proc().maxStatements());
    proc.put("max_stack_frames", p.proc().maxStackFrames());
    proc.put("max_ast_depth", p.proc().maxAstDepth());
    ObjectNode tools = n.putObject("tools");
    tools.putPOJO("allow", p.tools().allow());
    tools.putPOJO("require_approval", p.tools().requireApproval());
    ObjectNode logging = n.putObject("logging");
    logging.put("sample_ratio", p.logging().sampleRatio());
    logging.put("redact_pii", p.logging().redactPii());
    return n;
  }

  private static ObjectNode rule(EgressRuleSpec r) {
    ObjectNode n = YAML.createObjectNode();
    n.put("host", r.host());
    n.putPOJO("schemes", r.schemes());
    n.putPOJO("ports", r.ports());
    n.putPOJO("methods", r.methods());
    n.putPOJO("paths", r.paths());
    n.put("allow_private", r.allowPrivate());
    if (r.credential() != null) {
      n.put("credential", r.credential().header() + ": <redacted>");
    }
    if (r.sign() != null) {
      n.put("sign", "aws_sigv4 (service " + r.sign().service() + ", region " + r.sign().region() + ")");
    }
    return n;
  }
}
