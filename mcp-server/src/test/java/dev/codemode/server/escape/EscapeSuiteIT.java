package dev.codemode.server.escape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.codemode.server.e2e.CanaryListener;
import dev.codemode.server.e2e.TestConfig;
import dev.codemode.server.e2e.TsClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The escape suite: every case in {@link EscapeCases} against the real server, through the official
 * TypeScript SDK client. Judged on host invariants, not only messages: the answer comes within the
 * wall budget and the server answers the next call; the canary listener sees nothing; files outside
 * the sandbox are unchanged; canary secrets appear in no answer and no log line. The report lists
 * each case with its outcome (mcp-server/target/escape-report.md; escape-report-jit-on.md for the second run,
 * with JIT workers, see {@link TestConfig#JIT_PROPERTY}).
 */
class EscapeSuiteIT {
  private static final String SSH_CANARY = "CANARY-SSH-" + UUID.randomUUID();
  private static final String ENV_FILE_CANARY = "CANARY-DOTENV-" + UUID.randomUUID();
  private static final String ENV_VAR_CANARY = "CANARY-ENVVAR-" + UUID.randomUUID();
  private static final long ANSWER_BUDGET_MS = 3_000 + 7_000;
  private static Path root;
  private static Path serverLog;
  private static final Map<Path, String> hashes = new HashMap<>();
  private static HttpServer allowed;
  private static final AtomicInteger secretHits = new AtomicInteger();
  private static CanaryListener canary;
  private static TsClient client;
  private static final List<String> report = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    root = Files.createTempDirectory("codemode-escape").toRealPath();
    Path ssh = Files.createDirectories(root.resolve("home/agent/.ssh"));
    Path key = Files.writeString(ssh.resolve("id_rsa"), SSH_CANARY);
    Path deps = Files.createDirectories(root.resolve("deps"));
    Files.writeString(deps.resolve("config.json"), "{\"ok\":true}");
    Path dotenv = Files.writeString(deps.resolve(".env"), "TOKEN=" + ENV_FILE_CANARY);
    Path depsSsh = Files.createDirectories(deps.resolve(".ssh"));
    Path depsKey = Files.writeString(depsSsh.resolve("id_rsa"), SSH_CANARY);
    Files.createSymbolicLink(deps.resolve("key"), key);
    for (Path p : List.of(key, dotenv, depsKey, deps.resolve("config.json"))) {
      hashes.put(p, sha256(p));
    }
    startAllowedServer();
    canary = new CanaryListener("canary-listener");
    int port = allowed.getAddress().getPort();
    Path config = TestConfig.withDeps("""
        max_bytes: 2097152
        max_files: 200
        """).defaultProfile("""
        proc: {wall_ms: 3000, cpu_ms: 2500}
        """).profiles("""
        web:
          net:
            enabled: true
            allow:
              - {host: test.local, schemes: [http], ports: [%d], methods: [GET],
                 paths: ['/ok', '/redirect-*', '/echo-auth', '/big'], allow_private: true}
            resolve: {test.local: 127.0.0.1}
            max_requests: 5
            max_response_bytes: 1048576
        """.formatted(port)).write(root.resolve("codemode.yaml"));
    serverLog = root.resolve("server.log");
    client = TsClient.start();
    client.connectStdio(Map.of("CODEMODE_ESCAPE_CANARY", ENV_VAR_CANARY), serverLog, "--config", config.toString());
    // The first run on a cold JVM compiles the engine; the cases measure a warm server.
    client.execute("return 1", Map.of());
  }

  private static void startAllowedServer() throws IOException {
    allowed = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    allowed.createContext("/ok", ex -> reply(ex, 200, "ok"));
    allowed.createContext("/secret", ex -> {
      secretHits.incrementAndGet();
      reply(ex, 200, "secret");
    });
    allowed.createContext("/redirect-private", ex -> redirect(ex, "http://127.0.0.1:" + canary.port() + "/stolen"));
    allowed.createContext("/redirect-evil", ex -> redirect(ex, "http://evil.test:" + allowed.getAddress().getPort() + "/ok"));
    allowed.createContext("/echo-auth", ex -> {
      List<String> seen = new ArrayList<>();
      for (String h : List.of("Authorization", "Cookie", "X-Api-Key")) {
        if (ex.getRequestHeaders().containsKey(h)) {
          seen.add(h);
        }
      }
      reply(ex, 200, seen.isEmpty() ? "none" : String.join(",", seen));
    });
    allowed.createContext("/big", ex -> reply(ex, 200, "b".repeat(2 << 20)));
    allowed.start();
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private static void redirect(HttpExchange ex, String location) throws IOException {
    ex.getResponseHeaders().add("Location", location);
    ex.sendResponseHeaders(302, -1);
    ex.close();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      client.close();
      for (Map.Entry<Path, String> e : hashes.entrySet()) {
        assertEquals(e.getValue(), sha256(e.getKey()), "file outside the sandbox changed: " + e.getKey());
      }
      String log = Files.exists(serverLog) ? Files.readString(serverLog) : "";
      for (String canaryText : List.of(SSH_CANARY, ENV_FILE_CANARY, ENV_VAR_CANARY)) {
        assertFalse(log.contains(canaryText), "a canary secret reached the server log");
      }
    } finally {
      allowed.stop(0);
      canary.close();
      String jit = System.getProperty(TestConfig.JIT_PROPERTY, "");
      Path out = Path.of("target", jit.isEmpty() ? "escape-report.md" : "escape-report-jit-" + jit + ".md");
      Files.createDirectories(out.getParent());
      Files.writeString(out, "# codemode escape suite" + (jit.isEmpty() ? "" : " (runtime.jit: " + jit + ")") + "\n\n| family | case | outcome |\n|---|---|---|\n"
          + String.join("\n", report) + "\n");
    }
  }

  @TestFactory
  Stream<DynamicTest> attacks() {
    List<EscapeCase> cases = EscapeCases.all(allowed.getAddress().getPort(), canary.port());
    assertTrue(cases.size() >= 80, "the suite has " + cases.size() + " cases");
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.family() + "/" + c.id(), () -> runCase(c)));
  }

  private static void runCase(EscapeCase c) throws Exception {
    String outcome = "FAILED";
    try {
      Map<String, Object> args = new HashMap<>();
      args.put("timeout_ms", c.timeoutMs());
      if (c.profile() != null) {
        args.put("profile", c.profile());
      }
      if (c.setup() != null) {
        JsonNode setup = client.execute(c.setup(), args);
        assertEquals("ok", setup.at("/structuredContent/status").asText(), "setup: " + setup);
      }
      long t0 = System.nanoTime();
      JsonNode answer = client.execute(c.code(), args);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      JsonNode s = answer.get("structuredContent");
      String text = answer.toString();
      assertTrue(ms < ANSWER_BUDGET_MS, c.id() + " answered after " + ms + " ms");
      for (String canaryText : List.of(SSH_CANARY, ENV_FILE_CANARY, ENV_VAR_CANARY)) {
        assertFalse(text.contains(canaryText), c.id() + ": a canary secret reached the answer");
      }
      assertTrue(s != null, c.id() + ": no structured answer: " + text);
      String status = s.get("status").asText();
      assertTrue(c.statuses().contains(status), c.id() + ": status " + status + " not in " + c.statuses() + ": " + brief(s));
      assertTrue(c.check().test(s), c.id() + ": expected " + c.checkDescription() + ": " + brief(s));
      assertEquals(0, canary.connections(), c.id() + ": the canary listener saw a connection");
      assertEquals(0, secretHits.get(), c.id() + ": a forbidden path was reached");
      JsonNode next = client.execute("return 1+1", Map.of());
      assertEquals(2, next.at("/structuredContent/result").asInt(), c.id() + ": the server did not answer the next call");
      outcome = status + (s.hasNonNull("limit") ? " (" + s.get("limit").asText() + ")" : "") + " — " + c.checkDescription();
    } finally {
      report.add("| " + c.family() + " | " + c.id() + " | " + outcome + " |");
    }
  }

  private static String brief(JsonNode s) {
    String t = s.toString();
    return t.length() > 600 ? t.substring(0, 600) + "…" : t;
  }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }
}
