package dev.codemode.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.DenialRule;
import dev.codemode.runtime.EgressRecord;
import dev.codemode.runtime.KeptFile;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.ToolCallRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CodemodeMetricsTest {
  private static RunResult run(List<ToolCallRecord> calls, List<Denial> denials) {
    return new RunResult("r", RunStatus.OK, NullNode.getInstance(), "", null, null, denials, calls,
        List.of(new EgressRecord("GET", "https://a/", "allowed"), new EgressRecord("GET", "https://b/", "error: refused")),
        List.of(new KeptFile("/workspace/out/x", new byte[10])), 20, 5);
  }

  @Test
  void seriesMoveAndGuestChosenToolNamesAreBounded() {
    CodemodeMetrics m = new CodemodeMetrics(Set.of("memory"));
    String before = m.scrape();
    assertTrue(before.contains("codemode_tool_calls_total{outcome=\"denied\",server=\"_unknown\",tool=\"_unknown\"} 0.0"), before);
    m.runStarted("default");
    List<Denial> denials = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      denials.add(new Denial(DenialRule.TOOL_UNKNOWN, "made-up-" + i + ".tool", "no server"));
    }
    m.runFinished("default", run(List.of(new ToolCallRecord("memory.read_graph", true, 3)), denials));
    String s = m.scrape();
    assertTrue(s.contains("codemode_runs_started_total{profile=\"default\"} 1.0"), s);
    assertTrue(s.contains("codemode_runs_finished_total{profile=\"default\",status=\"ok\"} 1.0"));
    assertTrue(s.contains("codemode_runs_active 0.0"));
    assertTrue(s.contains("codemode_tool_calls_total{outcome=\"ok\",server=\"memory\",tool=\"read_graph\"} 1.0"));
    assertTrue(s.contains("codemode_tool_calls_total{outcome=\"denied\",server=\"_unknown\",tool=\"_unknown\"} 50.0"));
    assertTrue(s.contains("codemode_denials_total{kind=\"tool\"} 50.0"));
    assertTrue(s.contains("codemode_egress_requests_total{outcome=\"allowed\"} 1.0"));
    assertTrue(s.contains("codemode_egress_requests_total{outcome=\"error\"} 1.0"));
    assertTrue(s.contains("codemode_fs_bytes_total{area=\"out\",direction=\"written\"} 10.0"));
    assertTrue(s.contains("codemode_run_duration_seconds{profile=\"default\",quantile=\"0.99\"}"));
    assertEquals(0, s.lines().filter(l -> l.contains("made-up")).count());
  }

  @Test
  void endpointServesLoopbackOnly() throws Exception {
    CodemodeMetrics m = new CodemodeMetrics(Set.of());
    try (MetricsEndpoint e = MetricsEndpoint.start("127.0.0.1:0", m::scrape)) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.body().contains("codemode_runs_active"));
    }
    for (String bad : List.of("0.0.0.0:0", "8.8.8.8:9464", "9464", "127.0.0.1:x")) {
      try {
        MetricsEndpoint.start(bad, m::scrape).close();
        throw new AssertionError("accepted " + bad);
      } catch (IllegalArgumentException expected) {
        // refused
      }
    }
  }

  @Test
  void gaugesOverSuppliersNobodyElseHoldsSurviveAGarbageCollection() throws Exception {
    CodemodeMetrics m = new CodemodeMetrics(Set.of());
    java.util.concurrent.atomic.AtomicBoolean engaged = new java.util.concurrent.atomic.AtomicBoolean(true);
    m.watchKillswitch(() -> engaged.get());
    m.watchStateBackend(() -> !engaged.get());
    m.watchRunner(() -> 1);
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(20);
    }
    String s = m.scrape();
    assertTrue(s.contains("codemode_killswitch_engaged 1.0"), s);
    assertTrue(s.contains("codemode_state_backend_up 0.0"), s);
    assertTrue(s.contains("codemode_runs_executing 1.0"), s);
  }

  @Test
  void bytesKeptInTheSandboxAndShownToTheModelQueueKillswitchAndExfilAreExported() {
    CodemodeMetrics m = new CodemodeMetrics(Set.of());
    java.util.concurrent.atomic.AtomicInteger executing = new java.util.concurrent.atomic.AtomicInteger(1);
    java.util.concurrent.atomic.AtomicBoolean engaged = new java.util.concurrent.atomic.AtomicBoolean(true);
    m.watchRunner(executing::get);
    m.watchKillswitch(engaged::get);
    m.runStarted("default");
    m.runStarted("default");
    m.runStarted("default");
    com.fasterxml.jackson.databind.node.ObjectNode big = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
        .put("rows", "x".repeat(1000));
    m.resultReachedSandbox("tool.call", big);
    m.resultReachedSandbox("net.fetch", big);
    m.resultReachedSandbox("codemode.searchTools", big);
    m.answered(io.modelcontextprotocol.spec.McpSchema.CallToolResult.builder().addTextContent("héllo")
        .structuredContent(java.util.Map.of("n", 1)).build());
    String s = m.scrape();
    assertTrue(s.contains("codemode_context_bytes_kept_total{source=\"tool\"} 1011.0"), s);
    assertTrue(s.contains("codemode_context_bytes_kept_total{source=\"fetch\"} 1011.0"), "discovery is not a result: " + s);
    assertTrue(s.contains("codemode_answer_bytes_total 13.0"), "6 bytes of text and 7 of JSON: " + s);
    assertTrue(s.contains("codemode_runs_executing 1.0"), s);
    assertTrue(s.contains("codemode_runs_queued 2.0"), s);
    assertTrue(s.contains("codemode_killswitch_engaged 1.0"), s);
    List<EgressRecord> egress = new ArrayList<>();
    for (int i = 0; i < CodemodeMetrics.MAX_TOOL_TAGS + 20; i++) {
      egress.add(new EgressRecord("GET", "https://h" + i + ".example/", "allowed"));
    }
    egress.add(new EgressRecord("GET", "https://api.anthropic.com/v1/files", "denied"));
    m.runFinished("default", new RunResult("r", RunStatus.ERROR, NullNode.getInstance(), "", null, null,
        List.of(new Denial(DenialRule.NET_EXFIL_LIST, "https://api.anthropic.com/v1/files", "built-in exfiltration deny rule (host api.anthropic.com)")),
        List.of(), egress, List.of(), 20, 5));
    s = m.scrape();
    assertTrue(s.contains("codemode_exfil_denied_total 1.0"), s);
    assertTrue(s.contains("codemode_egress_host_requests_total{host=\"h0.example\",outcome=\"allowed\"} 1.0"), s);
    assertTrue(s.contains("codemode_egress_host_requests_total{host=\"_other\",outcome=\"allowed\"} 20.0"), "hosts are bounded");
    assertTrue(s.contains("codemode_egress_host_requests_total{host=\"_denied\",outcome=\"denied\"} 1.0"),
        "a refused host never becomes a label");
  }
}
