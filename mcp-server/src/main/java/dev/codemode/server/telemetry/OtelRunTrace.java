package dev.codemode.server.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.BridgeException;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.function.UnaryOperator;

/** One run's span and its bridge-call children; attribute names match the audit event fields. */
final class OtelRunTrace implements RunTrace {
  private final Tracer tracer;
  private final Span run;
  private final Context context;
  private final UnaryOperator<String> clean;

  OtelRunTrace(Tracer tracer, Span run, UnaryOperator<String> clean) {
    this.tracer = tracer;
    this.run = run;
    this.context = Context.root().with(run);
    this.clean = clean;
  }

  @Override
  public String traceId() {
    return run.getSpanContext().getTraceId();
  }

  @Override
  public String spanId() {
    return run.getSpanContext().getSpanId();
  }

  @Override
  public Step step(BridgeCall call) {
    SpanBuilder b = tracer.spanBuilder(call.capability()).setParent(context).setSpanKind(SpanKind.CLIENT)
        .setAttribute(OtelTracing.RUN_ID, call.runId());
    JsonNode args = call.args();
    if ("tool.call".equals(call.capability())) {
      b.setAttribute("codemode.tool", args.path("server").asText("") + "." + args.path("tool").asText(""));
    } else if ("net.fetch".equals(call.capability())) {
      b.setAttribute("http.request.method", args.path("method").asText("GET"));
      b.setAttribute("url.full", clean.apply(args.path("url").asText("")));
    }
    Span span = b.startSpan();
    return new Step() {
      @Override
      public Scope enter() {
        return span.makeCurrent()::close;
      }

      @Override
      public void end(JsonNode value, Throwable error) {
        Throwable cause = BridgeException.unwrap(error);
        if (cause != null) {
          String code = cause instanceof BridgeException be ? be.code() : cause.getClass().getSimpleName();
          span.setAttribute("error.type", code);
          span.setStatus(StatusCode.ERROR, code);
        }
        span.end();
      }
    };
  }

  @Override
  public void end(RunResult r) {
    if (r == null) {
      run.setAttribute("codemode.status", "refused");
      run.setStatus(StatusCode.ERROR, "busy");
      run.end();
      return;
    }
    run.setAttribute("codemode.status", r.status().wireName());
    run.setAttribute("codemode.tool_calls", r.toolCalls().size());
    run.setAttribute("codemode.egress_requests", r.egress().size());
    run.setAttribute("codemode.denials", r.denials().size());
    if (r.limit() != null) {
      run.setAttribute("codemode.limit.kind", r.limit().kind().wireName());
    }
    for (Denial d : r.denials()) {
      run.addEvent("denial", Attributes.builder().put("codemode.denial.kind", d.kind())
          .put("codemode.denial.target", clean.apply(d.target())).put("codemode.denial.rule", clean.apply(d.reason()))
          .put("codemode.denial.rule_id", d.rule().id()).build());
    }
    if (r.status() != RunStatus.OK) {
      run.setStatus(StatusCode.ERROR, r.status().wireName());
    }
    run.end();
  }
}
