package dev.codemode.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.Profile;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.policies.ops.AuditSettings;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.DenialRule;
import dev.codemode.runtime.EgressRecord;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.LimitHit;
import dev.codemode.runtime.LimitKind;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.ToolCallRecord;
import dev.codemode.server.RunAnswer;
import dev.codemode.server.RunIds;
import dev.codemode.server.audit.AuditLines;
import dev.codemode.server.audit.AuditSink;
import dev.codemode.server.audit.RunCaller;
import dev.codemode.server.run.Oversight;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every event type the server emits, produced through the production audit paths and checked against the schema. */
class AuditEventsTest {
  private static final String TOKEN = "audit-events-test-token-0123456789";
  @TempDir Path dir;

  @AfterEach
  void backToStderr() {
    AuditSink.configure(new AuditSettings("stderr", dir.resolve("unused").toString(), 1, 1));
  }

  @Test
  void everyEventTypeValidatesAgainstTheSchema() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    CodemodeConfig cfg = ConfigLoader.parse("""
        audit: {sink: file, path: ./audit.log}
        artifacts: {dir: ./artifacts}
        quarantine: {dir: ./quarantine, triggers: [limit]}
        admin: {enabled: true, listen: '127.0.0.1:%d', token: '%s'}
        """.formatted(port, TOKEN), "t.yaml", dir);
    try (Oversight o = new Oversight(cfg, new dev.codemode.server.Secrets(Map.of()), id -> false, Clock.systemUTC())) {
      Profile p = cfg.defaultProfile();
      RunCaller caller = RunCaller.from("alice", "alice/s1", Map.of("progressToken", "task-9"));
      RunRequest request = new RunRequest(RunIds.next(), "return 1", p, 5_000L, Map.of(), HostBridge.NONE);
      o.run(caller, request, r -> new RunResult(r.runId(), RunStatus.LIMIT, null, "", null,
          new LimitHit(LimitKind.WALL_TIME, "wall time budget of 5000 ms exceeded"),
          List.of(new Denial(DenialRule.NET_RULE, "https://x.example/", "no allow rule matches host 'x.example'")),
          List.of(new ToolCallRecord("everything.echo", true, 12)),
          List.of(new EgressRecord("GET", "https://x.example/", "denied")), List.of(), 5_001, 40));
      assertTrue(o.run(caller, new RunRequest(RunIds.next(), "return 2", p, null, Map.of(), HostBridge.NONE), r -> null)
          instanceof RunAnswer.Busy);
      o.startEndpoints(null);
      {
        new AdminClient("127.0.0.1", port, "wrong-token").call("GET", "/runs");
        new AdminClient("127.0.0.1", port, TOKEN).call("POST", "/runs/nope/cancel");
        new AdminClient("127.0.0.1", port, TOKEN).call("POST", "/killswitch/on");
      }
      assertTrue(o.refusal(caller) != null);
    }
    List<JsonNode> events = AuditLines.checked(dir.resolve("audit.log"));
    Set<String> seen = new TreeSet<>();
    events.forEach(e -> seen.add(e.at("/event/action").asText()));
    Set<String> declared = new TreeSet<>();
    try (InputStream in = AuditLines.class.getResourceAsStream("/dev/codemode/server/audit/audit-event.schema.json")) {
      new ObjectMapper().readTree(in).at("/properties/event/properties/action/enum").forEach(a -> declared.add(a.asText()));
    }
    declared.remove("journal_dropped"); // the per-run journal cap's summary, emitted when a journal overflows
    assertEquals(declared, seen, "every declared event type is emitted and valid");
    JsonNode end = events.stream().filter(e -> e.at("/event/action").asText().equals("run_end")).findFirst().orElseThrow();
    assertEquals(5_001_000_000L, end.at("/event/duration").asLong(), "ECS durations are nanoseconds");
    assertTrue(end.at("/codemode/tool_calls").isInt() && end.at("/codemode/cpu_ms").isInt(), end.toString());
    assertEquals("limit", end.at("/codemode/quarantined/0").asText(), end.toString());
  }
}
