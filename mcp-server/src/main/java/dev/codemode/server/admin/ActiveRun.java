package dev.codemode.server.admin;

import dev.codemode.server.audit.RunIdentity;

/** A run in flight: who started it, when, and which transport request it answers (for cancellation). */
public record ActiveRun(RunIdentity identity, String requestKey, long startedAtMs) {}
