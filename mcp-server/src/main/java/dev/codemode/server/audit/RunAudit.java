package dev.codemode.server.audit;

import dev.codemode.runtime.Denial;
import dev.codemode.runtime.EgressRecord;
import dev.codemode.runtime.JournalDrops;
import dev.codemode.runtime.RunJournal;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.ToolCallRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The audit trail of one run: {@code run_start}, one event per tool call, egress decision and denial (as
 * bridge calls complete, the rest at the end), a {@code limit} event, and {@code run_end}. Every event carries the run's identity, the policy
 * hash and the code's hash and first lines. All events are kept for a quarantine bundle, sampled or not.
 * Bounded per run: an event per entry the run's journals kept (their heads, see {@link RunJournal}), then
 * one {@code journal_dropped} event counting the entries past them; {@code run_end} has the exact totals.
 */
public final class RunAudit {
  private final AuditLog log;
  private final RunIdentity id;
  private final PolicySnapshot policy;
  private final CodeFingerprint code;
  private final boolean sampled;
  private final UnaryOperator<String> pii;
  private final List<AuditEvent> events = new ArrayList<>();
  private int toolCallsLogged;
  private int egressLogged;
  private int denialsLogged;

  RunAudit(AuditLog log, RunIdentity id, PolicySnapshot policy, CodeFingerprint code, boolean sampled, UnaryOperator<String> pii) {
    this.log = log;
    this.id = id;
    this.policy = policy;
    this.code = code;
    this.sampled = sampled;
    this.pii = pii;
  }

  /** The run was admitted and is about to start. */
  public synchronized void started(Long timeoutMs) {
    emit("run_start", true, "timeout_ms", timeoutMs);
  }

  /**
   * Logs what the run has done at the boundary so far (called as bridge calls complete, so that the trail
   * survives a run that never ends); each journal entry is logged once.
   */
  public synchronized void progress(RunJournal journal) {
    boundary(journal.toolCalls(), journal.egress(), journal.denials());
  }

  /** The run ended: logs what it did at the boundary not logged yet, and how it ended. */
  public synchronized void finished(RunResult r, int artifacts, List<String> quarantineTriggers) {
    boundary(r.toolCalls(), r.egress(), r.denials());
    JournalDrops drops = r.drops();
    if (drops.any()) {
      emit("journal_dropped", false, "denials_dropped", drops.denials(), "tool_calls_dropped", drops.toolCalls(),
          "egress_dropped", drops.egress());
    }
    if (r.limit() != null) {
      emit("limit", false, "limit", r.limit().kind().wireName(), "detail", r.limit().detail());
    }
    boolean routine = r.status() == dev.codemode.runtime.RunStatus.OK && r.denials().isEmpty() && !drops.any();
    emit("run_end", routine, "status", r.status().wireName(), "duration_ms", r.durationMs(), "cpu_ms", r.cpuMs(),
        "error_type", r.error() == null ? null : r.error().type(),
        "error_message", r.error() == null ? null : r.error().message(),
        "tool_calls", r.toolCalls().size() + drops.toolCalls(), "egress", r.egress().size() + drops.egress(),
        "denials", r.denials().size() + drops.denials(),
        "artifacts", artifacts, "quarantined", quarantineTriggers.isEmpty() ? null : String.join(",", quarantineTriggers));
  }

  private void boundary(List<ToolCallRecord> calls, List<EgressRecord> egress, List<Denial> denials) {
    for (; toolCallsLogged < calls.size(); toolCallsLogged++) {
      ToolCallRecord c = calls.get(toolCallsLogged);
      emit("tool_call", c.ok(), "tool", c.tool(), "ok", c.ok(), "ms", c.ms());
    }
    for (; egressLogged < egress.size(); egressLogged++) {
      EgressRecord e = egress.get(egressLogged);
      emit("egress", "allowed".equals(e.outcome()), "method", e.method(), "url", e.url(), "outcome", e.outcome());
    }
    for (; denialsLogged < denials.size(); denialsLogged++) {
      Denial d = denials.get(denialsLogged);
      emit("denial", false, "kind", d.kind(), "target", d.target(), "rule", d.reason());
    }
  }

  /** The run was not started: the runner had no free slot. */
  public synchronized void refused(String reason) {
    emit("run_end", false, "status", "refused", "reason", reason);
  }

  /** Whether routine events of this run are logged. */
  public boolean sampled() {
    return sampled;
  }

  /** Every event of this run, logged or sampled out, in order. */
  public synchronized List<AuditEvent> events() {
    return List.copyOf(events);
  }

  private void emit(String type, boolean routine, Object... kv) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("event", type);
    f.put("run_id", id.runId());
    f.put("task_id", clean(id.taskId()));
    f.put("principal", id.principal());
    f.put("session", id.sessionId());
    f.put("profile", id.profile());
    f.put("policy_sha256", policy.sha256());
    f.put("code_sha256", code.sha256());
    f.put("code_head", clean(code.head()));
    for (int i = 0; i < kv.length; i += 2) {
      Object v = kv[i + 1];
      f.put((String) kv[i], v instanceof String s ? clean(s) : v);
    }
    f.values().removeIf(java.util.Objects::isNull);
    AuditEvent event = new AuditEvent(type, routine, f);
    events.add(event);
    if (!routine || sampled) {
      log.write(event);
    }
  }

  private String clean(String s) {
    return s == null ? null : pii.apply(log.scrub(s));
  }
}
