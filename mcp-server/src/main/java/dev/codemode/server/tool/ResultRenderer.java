package dev.codemode.server.tool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.EgressRecord;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.ToolCallRecord;
import dev.codemode.server.RunAnswer;
import dev.codemode.server.artifacts.StoredArtifact;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a {@link RunAnswer} as the contract's {@code CallToolResult}: a short text for the model and the full structured record. */
public final class ResultRenderer {
  private static final int TEXT_RESULT_CHARS = 16_384;
  private static final int TEXT_CONSOLE_CHARS = 8_192;
  /** Lines of each journal the text lists; structuredContent holds the journals' heads, the counts say the rest. */
  private static final int TEXT_JOURNAL_LINES = 20;
  private static final int TEXT_FIELD_CHARS = 200;

  private ResultRenderer() {}

  /** The contract's {@code structuredContent} for {@code r}. */
  public static Map<String, Object> structured(RunResult r, List<StoredArtifact> artifacts) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run_id", r.runId());
    out.put("status", r.status().wireName());
    // The node itself: every JSON writer on the way out (the SDK's, the CLI's) writes it as it is.
    out.put("result", r.result());
    out.put("console", r.console());
    if (r.error() != null) {
      Map<String, Object> err = new LinkedHashMap<>();
      err.put("type", r.error().type());
      err.put("message", r.error().message());
      if (r.error().stack() != null) {
        err.put("stack", r.error().stack());
      }
      out.put("error", err);
    }
    if (r.limit() != null) {
      out.put("limit", r.limit().kind().wireName());
      out.put("limit_detail", r.limit().detail());
    }
    out.put("denials", r.denials().stream().map(d -> ordered("kind", d.kind(), "target", d.target(), "reason", d.reason(), "rule", d.rule().id())).toList());
    out.put("tool_calls", r.toolCalls().stream().map(c -> ordered("tool", c.tool(), "ok", c.ok(), "ms", c.ms())).toList());
    out.put("egress", r.egress().stream().map(e -> ordered("method", e.method(), "url", e.url(), "outcome", e.outcome())).toList());
    if (r.drops().any()) {
      out.put("dropped", ordered("denials", r.drops().denials(), "tool_calls", r.drops().toolCalls(), "egress", r.drops().egress()));
    }
    out.put("artifacts", artifacts.stream().map(StoredArtifact::handle).toList());
    out.put("duration_ms", r.durationMs());
    return out;
  }

  /** The whole answer; {@code isError} unless the code ran and its status is ok. */
  public static CallToolResult render(RunAnswer answer) {
    return answer instanceof RunAnswer.Ran ran ? ran(ran.result(), ran.artifacts())
        : CallToolResult.builder().addTextContent(notRunText(answer)).isError(true).build();
  }

  /** Why a refused or busy answer did not run: {@code not run: …}, with when to retry if busy. */
  public static String notRunText(RunAnswer answer) {
    return "not run: " + (answer instanceof RunAnswer.Busy b
        ? "busy: " + b.detail() + "; retry after " + b.retryAfterSeconds() + " s" : ((RunAnswer.Refused) answer).reason());
  }

  private static CallToolResult ran(RunResult r, List<StoredArtifact> artifacts) {
    StringBuilder text = new StringBuilder(text(r));
    // Artifact handles in the text too, so a model reading only text learns where the files are.
    for (StoredArtifact a : artifacts) {
      text.append("\nartifact ").append(a.name()).append(" (").append(a.bytes()).append(" bytes): ").append(a.uri());
    }
    return CallToolResult.builder()
        .addTextContent(text.toString())
        .structuredContent(structured(r, artifacts))
        .isError(r.status() != RunStatus.OK)
        .build();
  }

  /** The compact text a model reads: what happened, the result or error, console head, denials, completed calls. */
  public static String text(RunResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append("status: ").append(r.status().wireName());
    if (r.limit() != null) {
      sb.append(" (").append(r.limit().kind().wireName()).append(") — ").append(r.limit().detail());
    }
    sb.append(" [").append(r.durationMs()).append(" ms, run ").append(r.runId()).append("]\n");
    if (r.status() == RunStatus.OK) {
      sb.append("result: ").append(clip(compact(r.result()), TEXT_RESULT_CHARS)).append('\n');
    }
    if (r.error() != null) {
      sb.append("error: ").append(r.error().type()).append(": ").append(r.error().message()).append('\n');
      if (r.error().stack() != null) {
        sb.append(r.error().stack()).append('\n');
      }
    }
    List<Denial> denials = r.denials();
    int listed = Math.min(TEXT_JOURNAL_LINES, denials.size());
    for (Denial d : denials.subList(0, listed)) {
      sb.append("denied ").append(d.kind()).append(' ').append(clip(d.target(), TEXT_FIELD_CHARS)).append(": ")
          .append(clip(d.reason(), TEXT_FIELD_CHARS)).append('\n');
    }
    long moreDenials = denials.size() - listed + r.drops().denials();
    if (moreDenials > 0) {
      sb.append("… ").append(moreDenials).append(" more denials (structuredContent.denials lists the first ")
          .append(denials.size()).append(", structuredContent.dropped counts the rest)\n");
    }
    // Only calls that reached their server can have written something; refused ones are not listed.
    List<String> done = new ArrayList<>();
    for (ToolCallRecord c : r.toolCalls()) {
      if (done.size() == TEXT_JOURNAL_LINES) {
        break;
      }
      if (c.ran()) {
        done.add(clip(c.tool(), TEXT_FIELD_CHARS) + (c.ok() ? "" : " (failed)"));
      }
    }
    if (r.status() != RunStatus.OK && !done.isEmpty()) {
      long ran = r.toolCalls().stream().filter(ToolCallRecord::ran).count();
      String more = ran > done.size() || r.drops().toolCalls() > 0 ? ", …" : "";
      sb.append("tool calls completed before the end (").append(ran)
          .append(r.drops().toolCalls() > 0 ? " and " + r.drops().toolCalls() + " not recorded" : "").append("): ")
          .append(String.join(", ", done)).append(more)
          .append(" — do not repeat writes among them blindly\n");
    }
    int fetched = 0;
    for (EgressRecord e : r.egress()) {
      if (!"allowed".equals(e.outcome())) {
        continue;
      }
      if (fetched++ == TEXT_JOURNAL_LINES) {
        sb.append("… more fetches in structuredContent.egress\n");
        break;
      }
      sb.append("fetched ").append(e.method()).append(' ').append(clip(e.url(), TEXT_FIELD_CHARS)).append('\n');
    }
    if (!r.console().isEmpty()) {
      sb.append("console:\n").append(clip(r.console(), TEXT_CONSOLE_CHARS));
    }
    return sb.toString().stripTrailing();
  }

  private static String compact(JsonNode n) {
    return n == null ? "null" : n.toString();
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…[" + (s.length() - max) + " more characters in structuredContent]";
  }

  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
