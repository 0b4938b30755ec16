package dev.codemode.runtime;

/**
 * A request the policy refused.
 *
 * @param kind {@code fs}, {@code net} or {@code tool}
 * @param target what was asked for (a path, a URL, a tool name)
 * @param reason the rule that denied it, in words a person can act on
 */
public record Denial(String kind, String target, String reason) {}
