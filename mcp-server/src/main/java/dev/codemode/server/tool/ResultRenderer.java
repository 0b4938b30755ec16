package dev.codemode.server.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.EgressRecord;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.ToolCallRecord;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a {@link RunResult} as the contract's {@code CallToolResult}: a short text for the model and the full structured record. */
public final class ResultRenderer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TEXT_RESULT_CHARS = 16_384;
  private static final int TEXT_CONSOLE_CHARS = 8_192;

  private ResultRenderer() {}

  /** The contract's {@code structuredContent} for {@code r}. */
  public static Map<String, Object> structured(RunResult r, List<Map<String, Object>> artifacts) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run_id", r.runId());
    out.put("status", r.status().wireName());
    out.put("result", JSON.convertValue(r.result(), Object.class));
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
    out.put("denials", r.denials().stream().map(d -> ordered("kind", d.kind(), "target", d.target(), "reason", d.reason())).toList());
    out.put("tool_calls", r.toolCalls().stream().map(c -> ordered("tool", c.tool(), "ok", c.ok(), "ms", c.ms())).toList());
    out.put("egress", r.egress().stream().map(e -> ordered("method", e.method(), "url", e.url(), "outcome", e.outcome())).toList());
    out.put("artifacts", artifacts);
    out.put("duration_ms", r.durationMs());
    return out;
  }

  /** The whole answer: text rendering plus structured content; {@code isError} unless the run is ok. */
  public static CallToolResult render(RunResult r, List<Map<String, Object>> artifacts) {
    StringBuilder text = new StringBuilder(text(r));
    // audit branch: artifact handles in the text too, so a model reading only text learns where the files are
    for (Map<String, Object> a : artifacts) {
      text.append("\nartifact ").append(a.get("name")).append(" (").append(a.get("bytes")).append(" bytes): ").append(a.get("uri"));
    }
    return CallToolResult.builder()
        .addTextContent(text.toString())
        .structuredContent(structured(r, artifacts))
        .isError(r.status() != RunStatus.OK)
        .build();
  }

  private static final String REFUSED = "not run: ";
  private static final String BUSY = "busy: ";

  /** An answer for a call refused before any code ran (bad input, unknown profile, busy). */
  public static CallToolResult refused(String message) {
    return CallToolResult.builder().addTextContent(REFUSED + message).isError(true).build();
  }

  /** A refusal because every run slot is taken; {@code detail} says how long to wait. */
  public static CallToolResult busy(String detail) {
    return refused(BUSY + detail);
  }

  /** Whether {@code result} is a {@link #busy} refusal. */
  public static boolean isBusy(CallToolResult result) {
    return Boolean.TRUE.equals(result.isError()) && result.structuredContent() == null
        && result.content() != null && !result.content().isEmpty() && result.content().get(0) instanceof McpSchema.TextContent t
        && t.text().startsWith(REFUSED + BUSY);
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
    for (Denial d : r.denials()) {
      sb.append("denied ").append(d.kind()).append(' ').append(d.target()).append(": ").append(d.reason()).append('\n');
    }
    // Only calls that reached their server can have written something; refused ones are not listed.
    List<String> done = new ArrayList<>();
    for (ToolCallRecord c : r.toolCalls()) {
      if (c.ran()) {
        done.add(c.tool() + (c.ok() ? "" : " (failed)"));
      }
    }
    if (r.status() != RunStatus.OK && !done.isEmpty()) {
      sb.append("tool calls completed before the end (").append(done.size()).append("): ")
          .append(String.join(", ", done)).append(" — do not repeat writes among them blindly\n");
    }
    for (EgressRecord e : r.egress()) {
      if (!"allowed".equals(e.outcome())) {
        continue;
      }
      sb.append("fetched ").append(e.method()).append(' ').append(e.url()).append('\n');
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
