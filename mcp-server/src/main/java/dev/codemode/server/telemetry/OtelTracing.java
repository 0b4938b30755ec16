package dev.codemode.server.telemetry;

import dev.codemode.policies.ops.TelemetrySettings;
import dev.codemode.server.approval.Approver;
import dev.codemode.server.audit.RunIdentity;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Tracing with the OpenTelemetry SDK: spans batched and exported over OTLP/HTTP (protobuf, the JDK HTTP
 * client); the caller's W3C {@code traceparent} (and its sampling decision) is honoured.
 */
final class OtelTracing implements Tracing {
  static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("codemode.run_id");
  private static final long EXPORT_DELAY_MS = 500;
  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private OtelTracing(SdkTracerProvider provider) {
    this.provider = provider;
    this.tracer = provider.get("dev.codemode.server");
  }

  static OtelTracing start(TelemetrySettings settings) {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(settings.tracesEndpoint().toString())
        .setTimeout(Duration.ofSeconds(10))
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), settings.serviceName()))))
        .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofMillis(EXPORT_DELAY_MS)).build())
        .build();
    return new OtelTracing(provider);
  }

  @Override
  public RunTrace run(RunIdentity id, String traceparent, UnaryOperator<String> clean) {
    Context parent = traceparent == null ? Context.root()
        : W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, TRACEPARENT);
    Span span = tracer.spanBuilder("execute_code").setParent(parent).setSpanKind(SpanKind.SERVER)
        .setAttribute(RUN_ID, id.runId())
        .setAttribute("codemode.profile", id.profile())
        .setAttribute("codemode.session_id", id.sessionId())
        .setAttribute("user.name", id.principal())
        .startSpan();
    if (id.taskId() != null) {
      span.setAttribute("codemode.task_id", clean.apply(id.taskId()));
    }
    return new OtelRunTrace(tracer, span, clean);
  }

  @Override
  public Approver traced(Approver approver) {
    return (runId, tool, args) -> {
      Context current = Context.current();
      if (!Span.fromContext(current).getSpanContext().isValid()) {
        return approver.ask(runId, tool, args);
      }
      Span span = tracer.spanBuilder("approval").setParent(current).setAttribute(RUN_ID, runId)
          .setAttribute("codemode.tool", tool).startSpan();
      return approver.ask(runId, tool, args).whenComplete((decision, error) -> {
        span.setAttribute("codemode.approved", decision != null && decision.approved());
        if (decision == null || !decision.approved()) {
          span.setStatus(StatusCode.ERROR, decision == null ? "failed" : "not approved");
        }
        span.end();
      });
    };
  }

  @Override
  public void close() {
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }

  /** Reads the one {@code traceparent} value a request carried. */
  private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(String carrier) {
      return List.of("traceparent");
    }

    @Override
    public String get(String carrier, String key) {
      return "traceparent".equals(key) ? carrier : null;
    }
  };
}
