package dev.codemode.policies;

/** How runs are logged: the sampling ratio of routine events and whether PII is tokenized. */
public record LoggingPolicy(double sampleRatio, boolean redactPii) {}
