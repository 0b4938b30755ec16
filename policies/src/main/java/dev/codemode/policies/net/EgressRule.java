package dev.codemode.policies.net;

import dev.codemode.policies.Printable;
import dev.codemode.policies.CredentialSpec;
import dev.codemode.policies.EgressRuleSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * An {@link EgressRuleSpec} compiled for matching.
 *
 * <p>Host: an exact name or IP literal (canonicalized like a request host), or {@code *.suffix}, which
 * matches names with at least one more label than the suffix ({@code *.example.com} matches
 * {@code a.example.com} and {@code a.b.example.com}, never {@code example.com}, {@code evilexample.com}
 * or an IP literal); the suffix needs at least two labels. Empty lists mean, for an allow rule: schemes
 * {@code [https]}, the scheme's default port, methods {@code [GET, HEAD]}, every path; for a deny rule:
 * anything. A credential is refused on deny rules, and on rules that allow plain http without
 * {@code allow_private} (it would cross the internet in clear text).
 */
public final class EgressRule {
  private static final Set<String> SCHEMES = Set.of("http", "https");

  private final String label;
  private final boolean deny;
  private final String hostPattern;
  private final HostName exactHost;
  private final List<String> suffixLabels;
  private final Set<String> schemes;
  private final Set<Integer> ports;
  private final Set<String> methods;
  private final List<PathGlob> paths;
  private final boolean pathsIgnoreCase;
  private final boolean allowPrivate;
  private final CredentialSpec credential;
  private final dev.codemode.policies.SigV4Spec sign;

  private EgressRule(String label, boolean deny, EgressRuleSpec spec, boolean pathsIgnoreCase) {
    this.label = label;
    this.deny = deny;
    if (spec.host() == null || spec.host().isEmpty()) {
      throw new IllegalArgumentException(label + ": host is required");
    }
    String host = spec.host();
    if (host.startsWith("*.")) {
      HostName suffix = canonicalPattern(host.substring(2));
      if (!(suffix instanceof DomainName name)) {
        throw new IllegalArgumentException(label + ": wildcard host '" + host + "' must end in a DNS name, not an IP address");
      }
      List<String> labels = List.of(name.name().split("\\."));
      if (labels.size() < 2) {
        throw new IllegalArgumentException(label + ": wildcard host '" + host + "' is too broad (the suffix needs at least two labels)");
      }
      this.exactHost = null;
      this.suffixLabels = labels;
      this.hostPattern = "*." + name.name();
    } else {
      this.exactHost = canonicalPattern(host);
      this.suffixLabels = null;
      this.hostPattern = exactHost.text();
    }
    this.schemes = schemes(spec.schemes());
    this.ports = ports(spec.ports());
    this.methods = methods(spec.methods());
    this.paths = new ArrayList<>();
    for (String glob : spec.paths()) {
      try {
        paths.add(PathGlob.compile(glob));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(label + " (host " + hostPattern + "): " + e.getMessage(), e);
      }
    }
    this.pathsIgnoreCase = pathsIgnoreCase;
    this.allowPrivate = spec.allowPrivate();
    this.credential = spec.credential();
    this.sign = spec.sign();
    checkCredential();
  }

  /** Compiles the {@code number}th (1-based) allow rule. */
  public static EgressRule allow(EgressRuleSpec spec, int number) {
    return new EgressRule("allow rule #" + number, false, spec, false);
  }

  /** Compiles the {@code number}th (1-based) deny rule. */
  public static EgressRule deny(EgressRuleSpec spec, int number) {
    return new EgressRule("deny rule #" + number, true, spec, false);
  }

  /** A built-in deny rule whose paths match ignoring case (used by {@link ExfilDenyList}). */
  static EgressRule builtIn(EgressRuleSpec spec, String label) {
    return new EgressRule(label, true, spec, true);
  }

  private HostName canonicalPattern(String host) {
    try {
      return HostCanonicalizer.canonicalize(host);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(label + ": invalid host pattern '" + Printable.of(host)
          + "' (use an exact host or *.suffix): " + e.getMessage(), e);
    }
  }

  private Set<String> schemes(List<String> given) {
    Set<String> out = new TreeSet<>();
    for (String s : given) {
      String scheme = s == null ? "" : s.toLowerCase(Locale.ROOT);
      if (!SCHEMES.contains(scheme)) {
        throw new IllegalArgumentException(label + ": scheme '" + s + "' is not supported (http or https)");
      }
      out.add(scheme);
    }
    if (out.isEmpty() && !deny) {
      out.add("https");
    }
    return Set.copyOf(out);
  }

  private Set<Integer> ports(List<Integer> given) {
    Set<Integer> out = new TreeSet<>();
    for (Integer p : given) {
      if (p == null || p < 1 || p > 65535) {
        throw new IllegalArgumentException(label + ": port " + p + " out of range 1-65535");
      }
      out.add(p);
    }
    return out;
  }

  private Set<String> methods(List<String> given) {
    Set<String> out = new LinkedHashSet<>();
    for (String m : given) {
      try {
        out.add(EgressTarget.normalizeMethod(m == null ? "" : m.isEmpty() ? "<empty>" : m));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(label + ": " + e.getMessage(), e);
      }
    }
    if (out.isEmpty() && !deny) {
      out.addAll(Arrays.asList("GET", "HEAD"));
    }
    return out;
  }

  private void checkCredential() {
    if (credential == null) {
      return;
    }
    if (deny) {
      throw new IllegalArgumentException(label + ": a deny rule cannot carry a credential");
    }
    if (credential.header() == null || !HttpTokens.isToken(credential.header())) {
      throw new IllegalArgumentException(label + ": credential header name '" + credential.header() + "' is not a valid header name");
    }
    if (credential.value() == null) {
      throw new IllegalArgumentException(label + ": credential value is required");
    }
    if (schemes.contains("http") && !allowPrivate) {
      throw new IllegalArgumentException(label + ": a credential over plain http is refused (use https, or allow_private for a local service)");
    }
  }

  /** Whether the host part of this rule matches {@code host}. */
  public boolean matchesHost(HostName host) {
    if (exactHost != null) {
      return exactHost.equals(host);
    }
    if (!(host instanceof DomainName name)) {
      return false;
    }
    String[] labels = name.name().split("\\.");
    if (labels.length <= suffixLabels.size()) {
      return false;
    }
    int offset = labels.length - suffixLabels.size();
    for (int i = 0; i < suffixLabels.size(); i++) {
      if (!labels[offset + i].equals(suffixLabels.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Null when every part of this rule matches {@code target}; otherwise why not. */
  public String mismatch(EgressTarget target) {
    if (!matchesHost(target.host())) {
      return "host '" + target.host().text() + "' does not match " + hostPattern;
    }
    if (!schemes.isEmpty() && !schemes.contains(target.scheme())) {
      return "scheme " + target.scheme() + " not in " + schemes;
    }
    Set<Integer> effectivePorts = ports.isEmpty() && !deny ? Set.of(EgressTarget.defaultPort(target.scheme())) : ports;
    if (!effectivePorts.isEmpty() && !effectivePorts.contains(target.port())) {
      return "port " + target.port() + " not in " + new TreeSet<>(effectivePorts);
    }
    if (!methods.isEmpty() && !methods.contains(target.method())) {
      return "method " + target.method() + " not in " + methods;
    }
    if (!paths.isEmpty() && paths.stream().noneMatch(g -> pathsIgnoreCase ? g.matchesIgnoreCase(target.path()) : g.matches(target.path()))) {
      return "path " + target.path().decoded() + " matches none of " + paths;
    }
    return null;
  }

  /** The rule in words, e.g. {@code allow rule #1 (host api.github.com)}. */
  public String describe() {
    return label + " (host " + hostPattern + ")";
  }

  /** E.g. {@code allow rule #1}. */
  public String label() {
    return label;
  }

  /** The canonical host pattern ({@code name}, IP literal, or {@code *.suffix}). */
  public String hostPattern() {
    return hostPattern;
  }

  /** Whether this is a built-in exfiltration deny rule (only those match paths ignoring case). */
  public boolean builtIn() {
    return pathsIgnoreCase;
  }

  public boolean isDeny() {
    return deny;
  }

  public boolean allowPrivate() {
    return allowPrivate;
  }

  /** The configured credential (its value a compiled secret template, read on the host when used), or null. */
  public CredentialSpec credential() {
    return credential;
  }

  /** How allowed requests are signed, or null. */
  public dev.codemode.policies.SigV4Spec sign() {
    return sign;
  }

  public List<PathGlob> paths() {
    return List.copyOf(paths);
  }

  @Override
  public String toString() {
    return describe();
  }
}
