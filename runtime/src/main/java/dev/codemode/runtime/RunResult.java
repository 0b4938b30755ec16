package dev.codemode.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;

/**
 * Everything a run produced, before rendering for a client.
 *
 * @param result the returned value as JSON (null node when the code returned nothing)
 * @param console the captured console head, with a marker where it was truncated
 * @param error set when status is {@code error} or {@code internal_error}
 * @param limit set when status is {@code limit}
 * @param files files the run left in its in-memory mounts that the host keeps (artifacts), path → bytes
 * @param drops how many entries each journal (denials, tool calls, egress) left out past its head
 */
public record RunResult(
    String runId,
    RunStatus status,
    JsonNode result,
    String console,
    GuestError error,
    LimitHit limit,
    List<Denial> denials,
    List<ToolCallRecord> toolCalls,
    List<EgressRecord> egress,
    List<KeptFile> files,
    long durationMs,
    long cpuMs,
    JournalDrops drops) {
  public RunResult {
    java.util.Objects.requireNonNull(drops, "drops");
    denials = List.copyOf(denials);
    toolCalls = List.copyOf(toolCalls);
    egress = List.copyOf(egress);
    files = List.copyOf(files);
  }

  /** A result whose journals left nothing out. */
  public RunResult(String runId, RunStatus status, JsonNode result, String console, GuestError error, LimitHit limit,
      List<Denial> denials, List<ToolCallRecord> toolCalls, List<EgressRecord> egress, List<KeptFile> files,
      long durationMs, long cpuMs) {
    this(runId, status, result, console, error, limit, denials, toolCalls, egress, files, durationMs, cpuMs,
        JournalDrops.NONE);
  }

  /** {@code journal}'s kept entries and drop counts with the rest of a result. */
  public static RunResult of(String runId, RunStatus status, JsonNode result, String console, GuestError error,
      LimitHit limit, RunJournal journal, List<KeptFile> files, long durationMs, long cpuMs) {
    return new RunResult(runId, status, result, console, error, limit, journal.denials(), journal.toolCalls(),
        journal.egress(), files, durationMs, cpuMs, journal.drops());
  }

  /** A result with a status and maybe an error, nothing else: a run refused, abandoned or never started. */
  public static RunResult bare(String runId, RunStatus status, GuestError error, long durationMs, long cpuMs) {
    return new RunResult(runId, status, NullNode.getInstance(), "", error, null, List.of(), List.of(), List.of(),
        List.of(), durationMs, cpuMs);
  }
}
