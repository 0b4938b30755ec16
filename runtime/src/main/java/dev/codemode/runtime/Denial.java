package dev.codemode.runtime;

/**
 * A request the policy refused.
 *
 * @param rule which kind of rule denied it (what decisions match on)
 * @param target what was asked for (a path, a URL, a tool name)
 * @param reason the rule that denied it, in words a person can act on
 */
public record Denial(DenialRule rule, String target, String reason) {
  /** {@code fs}, {@code net} or {@code tool}. */
  public String kind() {
    return rule.kind();
  }
}
