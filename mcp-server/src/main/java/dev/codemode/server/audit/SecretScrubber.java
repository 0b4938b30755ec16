package dev.codemode.server.audit;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.EgressRuleSpec;
import dev.codemode.policies.Profile;
import dev.codemode.policies.ServerSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Removes configured secret values (egress credential values, server env and header values drawn from
 * {@code ${env:…}}, the admin token, all as resolved) from text bound for logs and bundles, and every value
 * a credential source has handed out since (rotated files, fresh tokens). Values shorter than 4 characters
 * are not treated as secrets: scrubbing them would garble every line.
 */
public final class SecretScrubber {
  static final String MASK = "<secret>";
  private final List<String> secrets;
  private final java.util.function.Supplier<List<String>> live;

  public SecretScrubber(Set<String> values) {
    this(values, List::of);
  }

  private SecretScrubber(Set<String> values, java.util.function.Supplier<List<String>> live) {
    this.live = live;
    List<String> kept = new ArrayList<>();
    for (String v : values) {
      if (v != null && v.length() >= 4) {
        kept.add(v);
      }
    }
    kept.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = List.copyOf(kept);
  }

  /** As {@link #forConfig(CodemodeConfig, Function)}, also scrubbing every value {@code secrets} hands out later. */
  public static SecretScrubber forConfig(CodemodeConfig config, dev.codemode.server.Secrets secrets) {
    // Commands and token endpoints are not run for this: their values join through secrets::values when used.
    Function<String, String> sideEffectFree = v -> {
      boolean fetches = dev.codemode.policies.secrets.SecretTemplate.parse(v, config.credentials()).sources().stream()
          .anyMatch(src -> !(src instanceof dev.codemode.policies.secrets.SecretSource.Env
              || src instanceof dev.codemode.policies.secrets.SecretSource.File));
      if (fetches) {
        throw new IllegalStateException("resolved on use");
      }
      return secrets.apply(v);
    };
    return new SecretScrubber(forConfig(config, sideEffectFree).secrets.stream()
        .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)), secrets::values);
  }

  /** The secrets a configuration names, resolved with {@code secrets}; unresolvable references are skipped. */
  public static SecretScrubber forConfig(CodemodeConfig config, Function<String, String> secrets) {
    Set<String> raw = new LinkedHashSet<>();
    for (Profile p : config.profiles().values()) {
      for (List<EgressRuleSpec> rules : List.of(p.net().allow(), p.net().deny())) {
        rules.stream().filter(r -> r.credential() != null).forEach(r -> raw.add(r.credential().value().written()));
      }
    }
    for (ServerSpec s : config.servers().values()) {
      // Plain env values are settings (paths, flags); the ones drawn from the environment are secrets.
      s.env().values().stream().filter(v -> v.contains("${env:")).forEach(raw::add);
      s.headers().values().stream().filter(v -> !v.sources().isEmpty()).forEach(v -> raw.add(v.written()));
    }
    if (config.ops().admin().token() != null) {
      raw.add(config.ops().admin().token());
    }
    Set<String> values = new LinkedHashSet<>();
    for (String v : raw) {
      boolean reference = v.contains("${");
      try {
        String resolved = secrets.apply(v);
        values.add(resolved);
        if (reference) {
          // "Bearer ${env:T}" resolves to "Bearer abc…": the bare secret can leak on its own too.
          values.addAll(splitResolved(v, resolved));
        }
      } catch (RuntimeException unset) {
        // An unset variable is reported where it is used; there is nothing to scrub.
      }
    }
    return new SecretScrubber(values);
  }

  private static List<String> splitResolved(String template, String resolved) {
    String[] literal = template.split("\\$\\{(env|file|credential):[^}]*}", -1);
    List<String> out = new ArrayList<>();
    String rest = resolved;
    for (int i = 0; i < literal.length; i++) {
      if (!rest.startsWith(literal[i])) {
        return out;
      }
      rest = rest.substring(literal[i].length());
      if (i + 1 < literal.length) {
        int next = literal[i + 1].isEmpty() ? rest.length() : rest.indexOf(literal[i + 1]);
        if (next < 0) {
          return out;
        }
        out.add(rest.substring(0, next));
        rest = rest.substring(next);
      }
    }
    return out;
  }

  /** {@code text} with every secret replaced by {@code <secret>}. */
  public String scrub(String text) {
    if (text == null) {
      return text;
    }
    String out = text;
    for (String s : secrets) {
      if (out.contains(s)) {
        out = out.replace(s, MASK);
      }
    }
    List<String> later = new ArrayList<>(live.get());
    later.sort(Comparator.comparingInt(String::length).reversed());
    for (String s : later) {
      if (s.length() >= 4 && out.contains(s)) {
        out = out.replace(s, MASK);
      }
    }
    return out;
  }
}
