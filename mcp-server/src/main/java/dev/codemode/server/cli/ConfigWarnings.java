package dev.codemode.server.cli;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.ServerSpec;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.policies.secrets.SecretSource;
import dev.codemode.policies.tools.ToolAllowlist;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code check-config} warns about in a valid configuration: things that are allowed but will not
 * work as written — an {@code ${env:NAME}} that is unset here, a {@code tools.allow} entry naming a server
 * that is not configured, network rules in a profile whose network is off, a {@code require_approval} entry
 * that {@code tools.allow} never lets through (these can never match) — and built-in deny globs a profile drops.
 */
final class ConfigWarnings {
  private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

  private ConfigWarnings() {}

  /** The warnings for {@code cfg}, each {@code key.path: what and why}; {@code env} reads the environment. */
  static List<String> of(CodemodeConfig cfg, Function<String, String> env) {
    List<String> out = new ArrayList<>();
    new TreeMap<>(cfg.servers()).forEach((name, spec) -> {
      unsetEnv("servers." + name + ".env", spec.env(), env, out);
      new TreeMap<>(spec.headers()).forEach((header, template) -> template.sources().stream()
          .filter(source -> source instanceof SecretSource.Env e && env.apply(e.name()) == null)
          .forEach(source -> out.add("servers." + name + ".headers." + header + ": ${env:" + ((SecretSource.Env) source).name()
              + "} is not set in this environment (the server cannot start until it is)")));
    });
    List<String> builtin = ConfigLoader.loadDefault().profiles().get("default").fs().denyGlobs();
    new TreeMap<>(cfg.profiles()).forEach((profile, p) -> {
      List<String> dropped = builtin.stream().filter(g -> !p.fs().denyGlobs().contains(g)).toList();
      if (!dropped.isEmpty()) {
        out.add("profiles." + profile + ".fs.drop_builtin_deny_globs: the built-in protections " + dropped
            + " are off in this profile; runs may read such files from its mounts");
      }
      if (!p.net().enabled() && !p.net().allow().isEmpty()) {
        out.add("profiles." + profile + ".net.allow: " + p.net().allow().size() + " rule(s), but net.enabled is false,"
            + " so they never apply (set net.enabled: true to use them)");
      }
      ToolAllowlist allowed = ToolAllowlist.of(p.tools().allow());
      List<String> approval = p.tools().requireApproval();
      for (int i = 0; i < approval.size(); i++) {
        String entry = approval.get(i);
        int dot = entry.indexOf('.');
        if (!entry.contains("*") && dot > 0 && !allowed.allows(entry.substring(0, dot), entry.substring(dot + 1))) {
          out.add("profiles." + profile + ".tools.require_approval[" + i + "]: '" + entry + "' is not in tools.allow,"
              + " so it is denied before approval is asked (this entry never matches)");
        }
      }
      List<String> allow = p.tools().allow();
      for (int i = 0; i < allow.size(); i++) {
        String entry = allow.get(i);
        int dot = entry.indexOf('.');
        String server = dot < 0 ? entry : entry.substring(0, dot);
        if (!server.contains("*") && !cfg.servers().containsKey(server)) {
          out.add("profiles." + profile + ".tools.allow[" + i + "]: '" + entry + "' names server '" + server
              + "', which is not configured, so it can never match (configured: "
              + (cfg.servers().isEmpty() ? "none" : String.join(", ", new TreeMap<String, ServerSpec>(cfg.servers()).keySet())) + ")");
        }
      }
    });
    return out;
  }

  private static void unsetEnv(String at, Map<String, String> values, Function<String, String> env, List<String> out) {
    new TreeMap<>(values).forEach((key, value) -> {
      Matcher m = ENV_REF.matcher(value == null ? "" : value);
      while (m.find()) {
        if (env.apply(m.group(1)) == null) {
          out.add(at + "." + key + ": ${env:" + m.group(1) + "} is not set in this environment"
              + " (the server cannot start until it is)");
        }
      }
    });
  }
}
