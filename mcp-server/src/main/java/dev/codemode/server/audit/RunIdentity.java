package dev.codemode.server.audit;

/** Who and what a run is, on every audit event: its id, the caller's task id (or null), principal and session. */
public record RunIdentity(String runId, String taskId, String principal, String sessionId, String profile) {}
