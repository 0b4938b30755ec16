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
}
