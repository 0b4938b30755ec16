package dev.codemode.policies.tools;

/** Whether a tool call is allowed, and which pattern (or missing pattern) decided it. */
public record ToolDecision(boolean allowed, String reason) {}
