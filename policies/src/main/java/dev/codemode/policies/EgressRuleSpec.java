package dev.codemode.policies;

import java.util.List;

/**
 * One egress rule as configured (validated, not yet compiled into a matcher).
 *
 * @param host an exact host name or {@code *.suffix}
 * @param schemes allowed schemes; default {@code [https]}
 * @param ports allowed ports; empty means the scheme's default port
 * @param methods allowed methods, upper case; empty means {@code GET} and {@code HEAD}
 * @param paths path globs; empty means every path
 * @param allowPrivate whether loopback, private and other special addresses may be reached
 * @param credential a header injected into allowed requests, or null
 * @param sign how the proxy signs allowed requests, or null
 */
public record EgressRuleSpec(
    String host,
    List<String> schemes,
    List<Integer> ports,
    List<String> methods,
    List<String> paths,
    boolean allowPrivate,
    CredentialSpec credential,
    SigV4Spec sign) {
  /** A rule that does not sign. */
  public EgressRuleSpec(String host, List<String> schemes, List<Integer> ports, List<String> methods, List<String> paths,
      boolean allowPrivate, CredentialSpec credential) {
    this(host, schemes, ports, methods, paths, allowPrivate, credential, null);
  }

  public EgressRuleSpec {
    schemes = List.copyOf(schemes);
    ports = List.copyOf(ports);
    methods = List.copyOf(methods);
    paths = List.copyOf(paths);
  }
}
