package dev.codemode.policies.config;

import dev.codemode.policies.EgressRuleSpec;
import dev.codemode.policies.fs.GlobPattern;
import dev.codemode.policies.net.EgressRule;
import dev.codemode.policies.tools.ToolPattern;
import java.util.Optional;

/** Deep checks of rules and patterns, delegated to the matchers that will use them, so that config and matching agree. */
final class RuleChecks {
  private RuleChecks() {}

  /** A problem with an allow ({@code deny == false}) or deny rule: bad host pattern, path glob, method, port. */
  static Optional<String> check(EgressRuleSpec spec, int number, boolean deny) {
    try {
      if (deny) {
        EgressRule.deny(spec, number);
      } else {
        EgressRule.allow(spec, number);
      }
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** A problem with a tool pattern, or empty. */
  static Optional<String> checkToolPattern(String pattern) {
    try {
      ToolPattern.parse(pattern);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** A problem with a deny glob, or empty. */
  static Optional<String> checkGlob(String glob) {
    try {
      GlobPattern.compile(glob);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }
}
