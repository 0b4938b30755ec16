package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.codemode.server.audit.AuditLines;
import io.opentelemetry.proto.trace.v1.Span;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's acceptance, end to end over stdio and Streamable HTTP with the TypeScript SDK client: with
 * {@code telemetry.otlp_endpoint} set, a run with two tool calls and one fetch arrives at a local OTLP
 * receiver as one trace (the caller's {@code traceparent}, from {@code _meta} or the HTTP header, is its
 * parent), the trace id is on the run's audit events, and {@code /metrics} shows more bytes kept in the
 * sandbox than shown to the model.
 */
class TelemetryEndToEndIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BIG = 60_000;
  private static Path root;
  private static HttpServer web;
  private static OtlpReceiver otlp;

  @BeforeAll
  static void start() throws Exception {
    root = Files.createTempDirectory("codemode-telemetry-it").toRealPath();
    web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext("/data", exchange -> {
      byte[] body = ("{\"rows\":\"" + "r".repeat(BIG) + "\"}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    web.start();
    otlp = new OtlpReceiver();
  }

  @AfterAll
  static void stop() {
    web.stop(0);
    otlp.close();
  }

  private static Path config(String name) throws Exception {
    Path everything = TestConfig.npmServer("server-everything");
    return Files.writeString(root.resolve(name + ".yaml"), """
        profiles:
          default:
            net:
              enabled: true
              allow: [{host: test.local, schemes: [http], ports: [%d], methods: [GET], allow_private: true}]
              resolve: {test.local: 127.0.0.1}
            tools: {allow: ['everything.*']}
        servers:
          everything: {command: node, args: ['%s', 'stdio'], call_timeout_ms: 10000}
        audit: {sink: file, path: ./%s-audit.log}
        artifacts: {dir: ./%s-artifacts}
        quarantine: {dir: ./%s-quarantine}
        telemetry: {otlp_endpoint: '%s', service_name: codemode-it}
        """.formatted(web.getAddress().getPort(), everything, name, name, name, otlp.endpoint()));
  }

  /** Two tool calls (one with a large result) and one fetch of a large body; the answer is a short summary. */
  private static final String CODE = """
      const big = await servers.everything.echo({message: 'x'.repeat(%d)});
      const small = await servers.everything.echo({message: 'two'});
      const body = await (await fetch('http://test.local:%s/data')).text();
      return {big: big.length, small, fetched: body.length};
      """;

  private static String code() {
    return CODE.formatted(BIG, web.getAddress().getPort());
  }

  private static String[] traceparent() {
    HexFormat hex = HexFormat.of();
    byte[] trace = new byte[16];
    byte[] span = new byte[8];
    ThreadLocalRandom.current().nextBytes(trace);
    ThreadLocalRandom.current().nextBytes(span);
    String t = hex.formatHex(trace);
    String s = hex.formatHex(span);
    return new String[] {"00-" + t + "-" + s + "-01", t, s};
  }

  @Test
  void stdioRunIsOneTraceFromTheMetaTraceparent() throws Exception {
    Path cfg = config("stdio");
    int metricsPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      metricsPort = s.getLocalPort();
    }
    String[] tp = traceparent();
    try (TsClient client = TsClient.start()) {
      client.connectStdio(Map.of(), "--config", cfg.toString(), "--metrics", "127.0.0.1:" + metricsPort);
      ObjectNode req = JSON.createObjectNode().put("op", "callTool").put("name", "execute_code");
      req.putObject("arguments").put("code", code());
      req.putObject("meta").put("traceparent", tp[0]);
      JsonNode s = TsClient.value(client.send(req).get(120, TimeUnit.SECONDS)).get("structuredContent");
      checkRun(s, tp, root.resolve("stdio-audit.log"), scrape("http://127.0.0.1:" + metricsPort + "/metrics"));
    }
  }

  @Test
  void httpRunIsOneTraceFromTheTraceparentHeader() throws Exception {
    Path cfg = config("http");
    String[] tp = traceparent();
    try (ServerProcess server = ServerProcess.start(cfg); TsClient client = TsClient.start()) {
      client.connectHttp("http", server.url(), Map.of("traceparent", tp[0]));
      JsonNode s = TsClient.value(client.executeAs("http", code(), Map.of()).get(120, TimeUnit.SECONDS)).get("structuredContent");
      checkRun(s, tp, root.resolve("http-audit.log"), scrape(server.base() + "/metrics"));
    }
  }

  private static void checkRun(JsonNode s, String[] tp, Path audit, String metrics) throws Exception {
    assertEquals("ok", s.path("status").asText(), s.toString());
    assertEquals(BIG + "Echo: ".length(), s.at("/result/big").asInt(), s.toString());
    String runId = s.path("run_id").asText();

    List<Span> trace = otlp.await(sp -> OtlpReceiver.hex(sp.getTraceId()).equals(tp[1]), 4, 20);
    Span run = trace.stream().filter(sp -> sp.getName().equals("execute_code")).findFirst()
        .orElseThrow(() -> new AssertionError("no run span in " + trace));
    assertEquals(tp[2], OtlpReceiver.hex(run.getParentSpanId()), "the caller's span is the run span's parent");
    assertEquals(runId, OtlpReceiver.attribute(run, "codemode.run_id"));
    assertEquals("ok", OtlpReceiver.attribute(run, "codemode.status"));
    String runSpanId = OtlpReceiver.hex(run.getSpanId());
    List<Span> children = trace.stream().filter(sp -> OtlpReceiver.hex(sp.getParentSpanId()).equals(runSpanId)).toList();
    assertEquals(List.of("net.fetch", "tool.call", "tool.call"), children.stream().map(Span::getName).sorted().toList(),
        trace.toString());
    assertEquals(4, trace.size(), "one trace: the run span and its three children");
    for (Span child : children) {
      assertEquals(runId, OtlpReceiver.attribute(child, "codemode.run_id"));
    }
    assertTrue(children.stream().anyMatch(c -> "everything.echo".equals(OtlpReceiver.attribute(c, "codemode.tool"))));
    assertTrue(otlp.serviceNames().contains("codemode-it"));

    List<Map<String, String>> events = AuditLines.checked(audit).stream().map(AuditLines::flat)
        .filter(e -> runId.equals(e.get("codemode.run_id"))).toList();
    assertEquals(List.of("run_start", "tool_call", "tool_call", "egress", "run_end"),
        events.stream().map(e -> e.get("event.action")).toList());
    for (Map<String, String> e : events) {
      assertEquals(tp[1], e.get("trace.id"), e.toString());
      assertEquals(runSpanId, e.get("span.id"), e.toString());
    }

    double kept = sum(metrics, "codemode_context_bytes_kept_total");
    double answer = sum(metrics, "codemode_answer_bytes_total");
    System.out.printf("telemetry: kept %.0f bytes in the sandbox, answered %.0f bytes%n", kept, answer);
    assertTrue(kept > 2 * BIG, "both large results are counted as kept: " + kept);
    assertTrue(answer > 0, metrics);
    assertTrue(kept > answer, "kept " + kept + " <= answer " + answer);
  }

  private static String scrape(String url) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  private static double sum(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? (\\S+)$").matcher(metrics);
    double total = 0;
    boolean found = false;
    while (m.find()) {
      total += Double.parseDouble(m.group(2));
      found = true;
    }
    assertFalse(!found, name + " is not exported");
    return total;
  }
}
