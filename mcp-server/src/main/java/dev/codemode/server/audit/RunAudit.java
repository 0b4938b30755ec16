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
 * bridge calls complete, the rest at the end), a {@code limit} event, and {@code run_end}, as flat ECS-named
 * fields ({@link AuditJson}). Every event carries the run's identity, the policy hash, the code's hash and,
 * when tracing is on, the trace id; the code's first lines are on {@code run_start} only. All events are
 * kept for a quarantine bundle, sampled or not.
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
  private String traceId;
  private String spanId;
  private static final long NANOS_PER_MS = 1_000_000L;

  RunAudit(AuditLog log, RunIdentity id, PolicySnapshot policy, CodeFingerprint code, boolean sampled, UnaryOperator<String> pii) {
    this.log = log;
    this.id = id;
    this.policy = policy;
    this.code = code;
    this.sampled = sampled;
    this.pii = pii;
  }

  /** The run was admitted and is about to start; the code's first lines are on this event only. */
  public synchronized void started(Long timeoutMs) {
    emit("run_start", true, "unknown", "codemode.code.head", code.head(), "codemode.timeout_ms", timeoutMs);
  }

  /** The id of the trace that records this run, on every event from now on (tracing on only). */
  public synchronized void traced(String traceId, String spanId) {
    this.traceId = traceId;
    this.spanId = spanId;
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
      emit("journal_dropped", false, "unknown", "codemode.denials_dropped", drops.denials(),
          "codemode.tool_calls_dropped", drops.toolCalls(), "codemode.egress_dropped", drops.egress());
    }
    if (r.limit() != null) {
      emit("limit", false, "failure", "codemode.limit.kind", r.limit().kind().wireName(), "codemode.limit.detail", r.limit().detail());
    }
    boolean ok = r.status() == dev.codemode.runtime.RunStatus.OK;
    boolean routine = ok && r.denials().isEmpty() && !drops.any();
    emit("run_end", routine, ok ? "success" : "failure", "codemode.status", r.status().wireName(),
        "event.duration", r.durationMs() * NANOS_PER_MS, "codemode.cpu_ms", r.cpuMs() >= 0 ? r.cpuMs() : null,
        "error.type", r.error() == null ? null : r.error().type(),
        "error.message", r.error() == null ? null : r.error().message(),
        "codemode.tool_calls", r.toolCalls().size() + drops.toolCalls(),
        "codemode.egress_requests", r.egress().size() + drops.egress(),
        "codemode.denials", r.denials().size() + drops.denials(), "codemode.artifacts", artifacts,
        "codemode.quarantined", quarantineTriggers.isEmpty() ? null : List.copyOf(quarantineTriggers));
  }

  private void boundary(List<ToolCallRecord> calls, List<EgressRecord> egress, List<Denial> denials) {
    for (; toolCallsLogged < calls.size(); toolCallsLogged++) {
      ToolCallRecord c = calls.get(toolCallsLogged);
      emit("tool_call", c.ok(), c.ok() ? "success" : "failure", "codemode.tool", c.tool(),
          "event.duration", c.ms() * NANOS_PER_MS);
    }
    for (; egressLogged < egress.size(); egressLogged++) {
      EgressRecord e = egress.get(egressLogged);
      boolean allowed = "allowed".equals(e.outcome());
      emit("egress", allowed, allowed ? "success" : "failure", "http.request.method", e.method(), "url.full", e.url(),
          "codemode.egress_outcome", e.outcome());
    }
    for (; denialsLogged < denials.size(); denialsLogged++) {
      Denial d = denials.get(denialsLogged);
      emit("denial", false, "failure", "codemode.denial.kind", d.kind(), "codemode.denial.target", d.target(),
          "codemode.denial.rule", d.reason(), "codemode.denial.rule_id", d.rule().id());
    }
  }

  /** The run was not started: the runner had no free slot. */
  public synchronized void refused(String reason) {
    emit("run_end", false, "failure", "codemode.status", "refused", "codemode.reason", reason);
  }

  /** Whether routine events of this run are logged. */
  public boolean sampled() {
    return sampled;
  }

  /** Every event of this run, logged or sampled out, in order. */
  public synchronized List<AuditEvent> events() {
    return List.copyOf(events);
  }

  private void emit(String type, boolean routine, String outcome, Object... kv) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("@timestamp", java.time.Instant.now());
    f.put("event.kind", "event");
    f.put("event.action", type);
    f.put("event.outcome", outcome);
    f.put("user.name", id.principal());
    f.put("trace.id", traceId);
    f.put("span.id", spanId);
    f.put("codemode.run_id", id.runId());
    f.put("codemode.task_id", clean(id.taskId()));
    f.put("codemode.session_id", id.sessionId());
    f.put("codemode.profile", id.profile());
    f.put("codemode.policy_sha256", policy.sha256());
    f.put("codemode.code.sha256", code.sha256());
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
    return s == null ? null : LogText.escape(pii.apply(log.scrub(s)));
  }
}
