package dev.codemode.server.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.policies.ops.AuditSettings;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.DenialRule;
import dev.codemode.runtime.EgressRecord;
import dev.codemode.runtime.LimitHit;
import dev.codemode.runtime.LimitKind;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @AfterEach
  void backToStderr() {
    AuditSink.configure(new AuditSettings("stderr", dir.resolve("unused").toString(), 1, 1));
  }

  /** Each line checked against the schema, as a map of dotted field names ({@code codemode.run_id}) to text. */
  static List<Map<String, String>> events(Path file) throws Exception {
    return AuditLines.checked(file).stream().map(AuditLines::flat).toList();
  }

  private static RunResult result(RunStatus status, List<Denial> denials, List<EgressRecord> egress, LimitHit limit) {
    return new RunResult("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", status, NullNode.getInstance(), "", null, limit,
        denials, List.of(), egress, List.of(), 12, 3);
  }

  private RunAudit trail(AuditLog log, double ratio, UnaryOperator<String> pii) {
    RunIdentity id = new RunIdentity("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "task-7", "stdio", "stdio", "default");
    return log.begin(id, PolicySnapshot.of(ConfigLoader.loadDefault().defaultProfile()),
        CodeFingerprint.of("const key = 'sk-live-SECRET-123';\nawait fetch('https://x.example');\nreturn 1"), ratio, pii);
  }

  @Test
  void everyEventIsOneJsonLineWithIdentityHashesAndCodeHead() throws Exception {
    Path file = dir.resolve("audit.log");
    AuditLog log = new AuditLog(AuditSink.configure(new AuditSettings("file", file.toString(), 1, 2)),
        new SecretScrubber(Set.of("sk-live-SECRET-123")), () -> 0.5);
    RunAudit t = trail(log, 1.0, UnaryOperator.identity());
    t.started(5000L);
    t.finished(result(RunStatus.ERROR, List.of(new Denial(DenialRule.NET_RULE, "https://x.example/", "no allow rule matches host 'x.example'")),
        List.of(new EgressRecord("GET", "https://x.example/", "denied")), null), 0, List.of());
    List<Map<String, String>> ev = events(file);
    assertEquals(List.of("run_start", "egress", "denial", "run_end"), ev.stream().map(m -> m.get("event.action")).toList());
    Map<String, String> denial = ev.get(2);
    assertEquals("warn", denial.get("log.level"));
    assertEquals("https://x.example/", denial.get("codemode.denial.target"));
    assertEquals("no allow rule matches host 'x.example'", denial.get("codemode.denial.rule"));
    for (Map<String, String> e : ev) {
      assertEquals("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", e.get("codemode.run_id"));
      assertEquals("task-7", e.get("codemode.task_id"));
      assertEquals("stdio", e.get("user.name"));
      assertEquals(64, e.get("codemode.policy_sha256").length());
      assertEquals(64, e.get("codemode.code.sha256").length());
    }
    assertTrue(ev.get(0).get("codemode.code.head").startsWith("const key = '<secret>';"), ev.get(0).toString());
    assertTrue(ev.stream().skip(1).noneMatch(e -> e.containsKey("codemode.code.head")), "the code head is on run_start only");
    assertFalse(Files.readString(file).contains("sk-live-SECRET-123"));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void guestChosenTextCannotForgeOrHideAuditLines() throws Exception {
    Path file = dir.resolve("audit.log");
    AuditLog log = new AuditLog(AuditSink.configure(new AuditSettings("file", file.toString(), 1, 2)),
        new SecretScrubber(Set.of()), () -> 0.5);
    RunAudit t = trail(log, 1.0, UnaryOperator.identity());
    String target = "/workspace/a\n{\"event\":\"run_end\",\"status\":\"ok\"}\u202etxt.exe\u001b[2J";
    t.finished(result(RunStatus.ERROR, List.of(new Denial(dev.codemode.runtime.DenialRule.FS_DENY_GLOB, target, "deny_globs '**/.env'")), List.of(), null), 0, List.of());
    String text = Files.readString(file);
    for (String c : List.of("\u202e", "\u001b", "\\n{")) {
      assertFalse(text.contains(c), "raw " + c.codePointAt(0) + " reached the audit log");
    }
    Map<String, String> denial = events(file).stream().filter(e -> "denial".equals(e.get("event.action"))).findFirst().orElseThrow();
    assertEquals(LogText.escape(target), denial.get("codemode.denial.target"));
    assertEquals(2, events(file).size(), "one denial and one run_end line, nothing forged");
  }

  @Test
  void boundaryEventsAreLoggedAsTheyHappenAndOnlyOnce() throws Exception {
    Path file = dir.resolve("progress.log");
    AuditLog log = new AuditLog(AuditSink.configure(new AuditSettings("file", file.toString(), 1, 2)),
        new SecretScrubber(Set.of()), () -> 0);
    RunAudit t = trail(log, 1.0, UnaryOperator.identity());
    t.started(null);
    dev.codemode.runtime.RunJournal journal = new dev.codemode.runtime.RunJournal();
    Denial net = new Denial(DenialRule.NET_RULE, "https://x.example/", "no allow rule");
    EgressRecord egress = new EgressRecord("GET", "https://x.example/", "denied");
    journal.egress(egress);
    journal.deny(net);
    t.progress(journal);
    assertEquals(List.of("run_start", "egress", "denial"), events(file).stream().map(m -> m.get("event.action")).toList(),
        "logged before the run ends");
    t.progress(journal);
    Denial fs = new Denial(DenialRule.FS_DENY_GLOB, "/deps/.env", "deny_globs '**/.env'");
    t.finished(result(RunStatus.OK, List.of(net, fs), List.of(egress), null), 0, List.of());
    assertEquals(List.of("run_start", "egress", "denial", "denial", "run_end"), events(file).stream().map(m -> m.get("event.action")).toList());
    assertEquals("/deps/.env", events(file).get(3).get("codemode.denial.target"));
  }

  @Test
  void routineEventsAreSampledDenialsAndLimitsNever() throws Exception {
    Path file = dir.resolve("sampled.log");
    AuditLog log = new AuditLog(AuditSink.configure(new AuditSettings("file", file.toString(), 1, 2)),
        new SecretScrubber(Set.of()), () -> 0.99);
    RunAudit quiet = trail(log, 0.5, UnaryOperator.identity());
    quiet.started(null);
    quiet.finished(result(RunStatus.OK, List.of(), List.of(new EgressRecord("GET", "https://ok.example/", "allowed")), null), 0, List.of());
    assertFalse(quiet.sampled());
    assertEquals(3, quiet.events().size(), "kept for a quarantine bundle even when not logged");
    RunAudit loud = trail(log, 0.5, UnaryOperator.identity());
    loud.started(null);
    loud.finished(result(RunStatus.LIMIT, List.of(new Denial(DenialRule.FS_DENY_GLOB, "/workspace/.env", "deny_globs '**/.env'")), List.of(),
        new LimitHit(LimitKind.CPU_TIME, "cpu budget exceeded")), 0, List.of("fs_deny_glob"));
    List<String> logged = events(file).stream().map(m -> m.get("event.action")).toList();
    assertEquals(List.of("denial", "limit", "run_end"), logged);
    assertEquals("fs_deny_glob", events(file).get(2).get("codemode.quarantined"));
  }

  @Test
  void piiIsTokenizedWhenThePolicySaysSo() throws Exception {
    Path file = dir.resolve("pii.log");
    AuditLog log = new AuditLog(AuditSink.configure(new AuditSettings("file", file.toString(), 1, 2)),
        new SecretScrubber(Set.of()), () -> 0);
    RunAudit t = trail(log, 1.0, s -> s.replace("ada@example.com", "[EMAIL_1]"));
    t.finished(result(RunStatus.OK, List.of(new Denial(DenialRule.NET_RULE, "https://x.example/?to=ada@example.com", "denied")), List.of(), null),
        0, List.of());
    String text = Files.readString(file);
    assertTrue(text.contains("[EMAIL_1]"));
    assertFalse(text.contains("ada@example.com"));
  }

  @Test
  void theSchemaRejectsTheOldKeyValueShapeNumbersAsTextAndUnknownFields() throws Exception {
    Path file = dir.resolve("strict.log");
    AuditLog log = new AuditLog(AuditSink.configure(new AuditSettings("file", file.toString(), 1, 2)),
        new SecretScrubber(Set.of()), () -> 0);
    RunAudit t = trail(log, 1.0, UnaryOperator.identity());
    t.finished(new RunResult("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", RunStatus.OK, NullNode.getInstance(), "", null, null,
        List.of(), List.of(new dev.codemode.runtime.ToolCallRecord("everything.echo", true, 12)), List.of(), List.of(), 12, 3),
        0, List.of());
    String call = Files.readAllLines(file).get(0);
    AuditLines.check(call);
    assertTrue(call.contains("\"duration\":12000000"), call);
    for (String bad : List.of(call.replace("\"duration\":12000000", "\"duration\":\"12000000\""),
        call.replace("\"codemode\":{", "\"codemode\":{\"made_up\":1,"),
        "{\"level\":\"INFO\",\"message\":\"run_end\",\"kvpList\":[{\"event\":\"run_end\"},{\"duration_ms\":\"1129\"}]}")) {
      org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> AuditLines.check(bad), bad);
    }
  }

  @Test
  void codeHeadIsTheFirstLinesClipped() {
    assertEquals("a\nb", CodeFingerprint.of("a\nb\n\n").head());
    assertEquals("1\n2\n3\n4\n5\n…", CodeFingerprint.of("1\n2\n3\n4\n5\n6\n7").head());
    assertEquals("x".repeat(160) + "…", CodeFingerprint.of("x".repeat(500)).head());
    assertEquals(CodeFingerprint.sha256("a\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)), CodeFingerprint.of("a\n").sha256());
  }

  @Test
  void policyHashFollowsThePolicyAndHidesCredentialValues() {
    CodemodeConfig cfg = ConfigLoader.parse("""
        profiles:
          a:
            net: {enabled: true, allow: [{host: api.example.com, credential: {header: Authorization, value: 'Bearer literal-secret-value'}}]}
          b:
            net: {enabled: true, allow: [{host: api.example.com, credential: {header: Authorization, value: '${env:API_TOKEN}'}}]}
        """, "t.yaml", dir);
    PolicySnapshot a = PolicySnapshot.of(cfg.profile("a").orElseThrow());
    PolicySnapshot b = PolicySnapshot.of(cfg.profile("b").orElseThrow());
    assertFalse(a.json().contains("literal-secret-value"), a.json());
    assertTrue(b.json().contains("${env:API_TOKEN}"));
    assertNotEquals(a.sha256(), PolicySnapshot.of(cfg.defaultProfile()).sha256());
    assertEquals(a.sha256(), PolicySnapshot.of(cfg.profile("a").orElseThrow()).sha256(), "stable");
  }

  @Test
  void secretsResolvedFromTheEnvironmentAreScrubbedAlsoWithoutTheirPrefix() {
    CodemodeConfig cfg = ConfigLoader.parse("""
        profiles:
          default:
            net: {enabled: true, allow: [{host: api.example.com, credential: {header: Authorization, value: 'Bearer ${env:API_TOKEN}'}}]}
        servers:
          mem: {command: npx, env: {MEMORY_FILE_PATH: ./memory.jsonl, KEY: '${env:MEM_KEY}'}}
          web: {url: 'https://mcp.example.com/mcp', headers: {Authorization: 'Token ${env:WEB_TOKEN}'}}
        """, "t.yaml", dir);
    SecretScrubber s = SecretScrubber.forConfig(cfg, v -> v.replace("${env:API_TOKEN}", "tok-123456")
        .replace("${env:MEM_KEY}", "mem-key-777").replace("${env:WEB_TOKEN}", "web-token-888"));
    assertEquals("h=<secret> raw=<secret>", s.scrub("h=Bearer tok-123456 raw=tok-123456"));
    assertEquals("<secret> <secret> ./memory.jsonl", s.scrub("mem-key-777 web-token-888 ./memory.jsonl"));
    assertEquals("abc", new SecretScrubber(Set.of("abc")).scrub("abc"), "values under 4 characters are not secrets");
  }
}
