package dev.codemode.policies.net;

/**
 * The outcome of matching one request against the egress rules.
 *
 * @param allowed whether the request may go out
 * @param rule the allow rule that allowed it or the deny rule that denied it; null when no rule decided
 *     (no allow rule matched, or the URL itself was refused)
 * @param reason in words, naming the rule, e.g. {@code deny rule #2 (host *.evil.com)}
 */
public record Verdict(boolean allowed, EgressRule rule, String reason) {
  static Verdict allow(EgressRule rule) {
    return new Verdict(true, rule, rule.describe());
  }

  static Verdict deny(EgressRule rule, String reason) {
    return new Verdict(false, rule, reason);
  }
}
