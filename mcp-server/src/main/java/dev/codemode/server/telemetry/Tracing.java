package dev.codemode.server.telemetry;

import dev.codemode.policies.ops.TelemetrySettings;
import dev.codemode.server.approval.Approver;
import dev.codemode.server.audit.RunIdentity;
import java.util.function.UnaryOperator;

/**
 * Traces of runs: one span per run, a child span per bridge call (tool call, fetch, discovery) and per
 * approval. Chosen once at start: {@link #OFF} hands out constant no-op traces, so a server without
 * {@code telemetry.otlp_endpoint} creates no span objects at all.
 */
public interface Tracing extends AutoCloseable {
  /** Tracing off: every run gets {@link RunTrace#NONE}. */
  Tracing OFF = new Tracing() {
    @Override
    public RunTrace run(RunIdentity id, String traceparent, UnaryOperator<String> clean) {
      return RunTrace.NONE;
    }

    @Override
    public Approver traced(Approver approver) {
      return approver;
    }

    @Override
    public void close() {}
  };

  /** The tracing {@code settings} ask for: OTLP/HTTP export when an endpoint is set, else {@link #OFF}. */
  static Tracing of(TelemetrySettings settings) {
    return settings.enabled() ? OtelTracing.start(settings) : OFF;
  }

  /**
   * Starts the trace of run {@code id}, a child of {@code traceparent} (W3C; null or invalid: a new trace);
   * {@code clean} scrubs text (URLs) before it becomes an attribute.
   */
  RunTrace run(RunIdentity id, String traceparent, UnaryOperator<String> clean);

  /** {@code approver} with a span around each question, a child of the tool call that asks. */
  Approver traced(Approver approver);

  /** Exports what is still buffered and stops. */
  @Override
  void close();
}
