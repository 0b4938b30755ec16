package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 4: a run that floods its journals (tens of thousands of fs, net and tool denials, huge
 * denial targets, thousands of tool calls) gets an answer within {@code max_result_bytes} + 64 KiB that
 * says how many entries were dropped, writes a bounded number of audit lines, leaves a bounded quarantine
 * bundle holding its audit lines, and the server answers the next call — over stdio and over HTTP.
 */
class JournalFloodIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_RESULT_BYTES = 262_144;
  private static final int FLOOD = 10_000;
  private static Path root;
  private static Path config;
  private static TsClient client;
  private static ServerProcess http;

  @BeforeAll
  static void start() throws Exception {
    root = Files.createTempDirectory("codemode-flood-it").toRealPath();
    Files.createDirectories(root.resolve("deps"));
    config = TestConfig.withDeps().defaultProfile("""
        net:
          enabled: true
          allow: [{host: allowed.example}]
          max_requests: 100000
          rate_per_second: 10000.0
        tools: {allow: ['memory.read_graph']}
        proc: {wall_ms: 120000, cpu_ms: 60000}
        """).memoryServer(root.resolve("memory.jsonl")).with("""
        audit: {sink: file, path: ./audit.log}
        quarantine: {dir: ./quarantine, triggers: [fs_deny_glob, net_denied, tool_denied]}
        """).write(root.resolve("codemode.yaml"));
    client = TsClient.start();
    client.connectStdio("--config", config.toString());
    http = ServerProcess.start(config);
    client.connectHttp("http", http.url(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (http != null) {
      http.terminate(60);
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Tens of thousands of distinct denials of every kind, each target as long as the path and URL rules let it be. */
  private static final String FLOOD_CODE = """
      const long = 'x'.repeat(200);
      for (let start = 0; start < %1$d; start += 1000) {
        const jobs = [];
        for (let i = start; i < start + 1000; i++) {
          jobs.push(fs.readFile('/deps/' + long + i + '/.env').catch(() => 0));
          jobs.push(fetch('https://h' + i + '.' + long + '.example/' + 'p'.repeat(3000)).catch(() => 0));
          jobs.push(servers.memory.deleteEntities({entityNames: ['e' + i]}).catch(() => 0));
        }
        await Promise.all(jobs);
      }
      const more = [];
      for (let i = 0; i < 2000; i++) {
        more.push(fs.readFile('/deps/' + i + 'y'.repeat(5000)).catch(() => 0));
      }
      for (let i = 0; i < 3000; i++) {
        more.push(servers.memory.readGraph({}).catch(() => 0));
      }
      await Promise.all(more);
      return 'done';
      """.formatted(FLOOD);

  @Test
  void aFloodOfDenialsOverStdioStaysWithinTheAnswerBudgetAndTheServerAnswersTheNextCall() throws Exception {
    JsonNode answer = client.executeAsync(FLOOD_CODE, Map.of("timeout_ms", 120_000)).get(180, TimeUnit.SECONDS);
    judge(answer);
    JsonNode next = client.execute("return 1 + 1");
    assertEquals(2, next.path("structuredContent").path("result").asInt(), next.toString());
  }

  @Test
  void aFloodOfDenialsOverHttpStaysWithinTheAnswerBudgetAndTheServerAnswersTheNextCall() throws Exception {
    JsonNode answer = TsClient.value(client.executeAs("http", FLOOD_CODE, Map.of("timeout_ms", 120_000))
        .get(180, TimeUnit.SECONDS));
    judge(answer);
    JsonNode next = TsClient.value(client.executeAs("http", "return 1 + 1", Map.of()).get(60, TimeUnit.SECONDS));
    assertEquals(2, next.path("structuredContent").path("result").asInt(), next.toString());
    String runId = answer.path("structuredContent").path("run_id").asText();
    judgeAuditAndQuarantine(runId);
  }

  private static void judge(JsonNode answer) {
    int bytes = answer.toString().getBytes(StandardCharsets.UTF_8).length;
    JsonNode sc = answer.path("structuredContent");
    assertTrue(bytes <= MAX_RESULT_BYTES + 64 * 1024, "the whole answer is " + bytes + " bytes");
    assertEquals("ok", sc.path("status").asText(), () -> sc.path("limit_detail") + " " + sc.path("error"));
    System.out.println("JournalFloodIT: answer " + bytes + " bytes, dropped " + sc.path("dropped"));
    JsonNode dropped = sc.path("dropped");
    long denials = sc.path("denials").size() + dropped.path("denials").asLong();
    long toolCalls = sc.path("tool_calls").size() + dropped.path("tool_calls").asLong();
    long egress = sc.path("egress").size() + dropped.path("egress").asLong();
    assertEquals(3L * FLOOD + 2000, denials, "kept + dropped denials is the exact count: " + dropped);
    assertEquals(3000, toolCalls, "every tool call is counted: " + dropped);
    assertEquals(FLOOD, egress, "every egress decision is counted: " + dropped);
    assertTrue(sc.path("denials").size() >= 10, "the head of the journal is kept");
    String text = answer.path("content").get(0).path("text").asText();
    assertTrue(text.contains("more denials"), "the text says entries were left out: " + text.substring(0, Math.min(2000, text.length())));
  }

  private static void judgeAuditAndQuarantine(String runId) throws Exception {
    List<Map<String, Object>> mine = new ArrayList<>();
    long auditBytes = 0;
    for (String line : Files.readAllLines(root.resolve("audit.log"))) {
      if (line.contains(runId)) {
        auditBytes += line.length();
        mine.add(fields(JSON.readTree(line)));
      }
    }
    assertTrue(mine.size() < 1000, "audit lines of one run are capped: " + mine.size() + " lines, " + auditBytes + " bytes");
    Map<String, Object> summary = mine.stream().filter(m -> "journal_dropped".equals(m.get("event.action"))).findFirst()
        .orElseThrow(() -> new AssertionError("no journal_dropped summary event among " + mine.size() + " events"));
    assertTrue(Long.parseLong(String.valueOf(summary.get("codemode.denials_dropped"))) > 0, summary.toString());
    System.out.println("JournalFloodIT: " + mine.size() + " audit lines (" + auditBytes + " bytes) for run " + runId);
    Path bundle = root.resolve("quarantine").resolve(runId);
    assertTrue(Files.isDirectory(bundle), "the run tripped fs_deny_glob and was quarantined");
    long size = 0;
    try (Stream<Path> files = Files.list(bundle)) {
      for (Path p : files.toList()) {
        size += Files.size(p);
      }
    }
    assertTrue(size < 4L << 20, "a quarantine bundle is capped: " + size + " bytes");
    System.out.println("JournalFloodIT: quarantine bundle " + size + " bytes");
    String audit = Files.readString(bundle.resolve("audit.jsonl"));
    assertTrue(audit.contains("journal_dropped"), "the bundle keeps the run's audit lines, summary included");
  }

  /** A flat audit line's fields by dotted name ({@code event.action}, {@code codemode.denials_dropped}). */
  private static Map<String, Object> fields(JsonNode event) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    flatten("", event, m);
    return m;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, Object> out) {
    node.fields().forEachRemaining(e -> {
      String name = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue().isObject()) {
        flatten(name, e.getValue(), out);
      } else {
        out.put(name, e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().asText());
      }
    });
  }
}
