package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.policies.ops.TelemetrySettings;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.RunJournal;
import dev.codemode.server.approval.Approver;
import dev.codemode.server.audit.RunCaller;
import dev.codemode.server.audit.RunIdentity;
import dev.codemode.server.telemetry.RunTrace;
import dev.codemode.server.telemetry.Tracing;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The production {@link Tracing} against a local OTLP receiver: span tree, approvals, traceparent handling; off costs nothing. */
class TracingSpansTest {
  private static final RunIdentity ID = new RunIdentity("run-1", "task-1", "alice", "alice/s1", "default");

  private static BridgeCall call(String capability, String json) throws Exception {
    return new BridgeCall("run-1", ConfigLoader.loadDefault().defaultProfile(), capability, new ObjectMapper().readTree(json),
        new RunJournal());
  }

  @Test
  void offHandsOutConstantNoOpsSoNothingIsAllocatedPerRunOrCall() throws Exception {
    Tracing off = Tracing.of(TelemetrySettings.OFF);
    assertSame(Tracing.OFF, off);
    RunTrace trace = off.run(ID, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", UnaryOperator.identity());
    assertSame(RunTrace.NONE, trace);
    assertNull(trace.traceId());
    assertSame(RunTrace.Step.NONE, trace.step(call("tool.call", "{}")));
    assertSame(RunTrace.Scope.NONE, RunTrace.Step.NONE.enter());
    Approver approver = (runId, tool, args) -> null;
    assertSame(approver, off.traced(approver));
  }

  @Test
  void runStepAndApprovalSpansFormOneTreeUnderTheCallersSpan() throws Exception {
    try (OtlpReceiver otlp = new OtlpReceiver()) {
      Tracing tracing = Tracing.of(new TelemetrySettings(URI.create(otlp.endpoint() + "/v1/traces"), "codemode-test"));
      RunTrace run = tracing.run(ID, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", s -> s.replace("secret", "<secret>"));
      assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", run.traceId());
      RunTrace.Step tool = run.step(call("tool.call", "{\"server\":\"mail\",\"tool\":\"send\"}"));
      Approver approver = tracing.traced((runId, t, args) -> java.util.concurrent.CompletableFuture.completedFuture(
          Approver.Decision.refused("no")));
      try (RunTrace.Scope scope = tool.enter()) {
        approver.ask("run-1", "mail.send", null).toCompletableFuture().join();
      }
      tool.end(null, new dev.codemode.runtime.BridgeException("EACCES", "not approved"));
      RunTrace.Step fetch = run.step(call("net.fetch", "{\"url\":\"https://x.example/?k=secret\",\"method\":\"GET\"}"));
      fetch.end(null, null);
      run.end(null);
      tracing.close();

      List<Span> spans = otlp.await(s -> true, 4, 10);
      Map<String, Span> byName = new java.util.HashMap<>();
      spans.forEach(s -> byName.put(s.getName(), s));
      assertEquals(4, spans.size(), spans.toString());
      String runSpan = OtlpReceiver.hex(byName.get("execute_code").getSpanId());
      assertEquals("00f067aa0ba902b7", OtlpReceiver.hex(byName.get("execute_code").getParentSpanId()));
      assertEquals(runSpan, OtlpReceiver.hex(byName.get("tool.call").getParentSpanId()));
      assertEquals(runSpan, OtlpReceiver.hex(byName.get("net.fetch").getParentSpanId()));
      assertEquals(OtlpReceiver.hex(byName.get("tool.call").getSpanId()), OtlpReceiver.hex(byName.get("approval").getParentSpanId()),
          "an approval is a child of the tool call that asked");
      assertEquals("EACCES", OtlpReceiver.attribute(byName.get("tool.call"), "error.type"));
      assertEquals("mail.send", OtlpReceiver.attribute(byName.get("tool.call"), "codemode.tool"));
      assertEquals("https://x.example/?k=<secret>", OtlpReceiver.attribute(byName.get("net.fetch"), "url.full"));
      assertEquals("refused", OtlpReceiver.attribute(byName.get("execute_code"), "codemode.status"));
      assertTrue(otlp.serviceNames().contains("codemode-test"));
    }
  }

  @Test
  void anInvalidTraceparentStartsANewTrace() throws Exception {
    try (OtlpReceiver otlp = new OtlpReceiver()) {
      Tracing tracing = Tracing.of(new TelemetrySettings(URI.create(otlp.endpoint() + "/v1/traces"), "codemode-test"));
      RunTrace run = tracing.run(ID, "00-00000000000000000000000000000000-00f067aa0ba902b7-01\nx", UnaryOperator.identity());
      assertEquals(32, run.traceId().length());
      assertNotEquals("00000000000000000000000000000000", run.traceId());
      run.end(null);
      tracing.close();
      Span s = otlp.await(x -> true, 1, 10).get(0);
      assertTrue(s.getParentSpanId().isEmpty(), "a root span");
    }
  }

  @Test
  void metaTraceparentWinsOverTheHttpHeader() {
    RunCaller fromMeta = RunCaller.from("alice", "s", Map.of("traceparent", "00-aa-bb-01")).withTraceparentHeader("00-cc-dd-01");
    assertEquals("00-aa-bb-01", fromMeta.traceparent());
    assertEquals("00-cc-dd-01", RunCaller.from("alice", "s", Map.of()).withTraceparentHeader("00-cc-dd-01").traceparent());
    assertNull(RunCaller.from("alice", "s", null).traceparent());
  }
}
