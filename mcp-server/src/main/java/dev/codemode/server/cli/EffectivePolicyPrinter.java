package dev.codemode.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
    root.putPOJO("runtime", cfg.runtime());
    root.putPOJO("http", cfg.http());
    ObjectNode auth = root.putObject("auth");
    ObjectNode tokens = auth.putObject("tokens");
    cfg.auth().tokens().forEach(t -> tokens.putPOJO(t.principal(), t.profiles()));
    if (cfg.auth().oauth() != null) {
      auth.putPOJO("oauth", cfg.auth().oauth());
    }
    try {
      return YAML.writeValueAsString(root);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode profile(Profile p) {
    ObjectNode n = YAML.createObjectNode();
    n.putPOJO("fs", p.fs());
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
    n.putPOJO("proc", p.proc());
    n.putPOJO("tools", p.tools());
    n.putPOJO("logging", p.logging());
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
    return n;
  }
}
