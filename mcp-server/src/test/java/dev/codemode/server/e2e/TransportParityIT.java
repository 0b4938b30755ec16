package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.server.admin.AdminClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Both transports start the same server: the same MCP surface (capabilities, tools, resource templates)
 * and the same side endpoints (admin, loopback metrics), compared through the TypeScript SDK client.
 */
class TransportParityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_TOKEN = "parity-admin-token-0123456789abcdef";

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Writes a config whose admin endpoint is on its own free port; answers {config, adminPort, metricsPort}. */
  private static Object[] config(Path dir, String name) throws Exception {
    int admin = freePort();
    Path config = Files.writeString(dir.resolve(name + ".yaml"), """
        artifacts: {dir: ./artifacts}
        admin: {enabled: true, listen: '127.0.0.1:%d', token: '%s'}
        """.formatted(admin, ADMIN_TOKEN));
    return new Object[] {config, admin, freePort()};
  }

  /** What a client sees of the server, and whether its side endpoints answer. */
  private static ObjectNode surface(TsClient client, JsonNode connected, int adminPort, int metricsPort) throws Exception {
    ObjectNode s = JSON.createObjectNode();
    s.set("capabilities", connected.get("capabilities"));
    s.set("tools", client.listTools("main").get("tools"));
    s.set("resourceTemplates", client.listResourceTemplates("main").get("resourceTemplates"));
    s.put("admin /runs", new AdminClient("127.0.0.1", adminPort, ADMIN_TOKEN).call("GET", "/runs").status());
    HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode bad = TsClient.value(client.executeAs("main", "return 1", Map.of("timeout_ms", "soon")).get(60, java.util.concurrent.TimeUnit.SECONDS));
    s.put("bad arguments", bad.path("isError").asBoolean() + " " + bad.at("/content/0/text").asText());
    s.put("metrics", scrape.statusCode() + (scrape.body().contains("codemode_runs_active") ? " with codemode series" : ""));
    return s;
  }

  @Test
  void stdioAndHttpOfferTheSameSurfaceAndEndpoints() throws Exception {
    Path dir = Files.createTempDirectory("codemode-parity-it").toRealPath();
    Object[] a = config(dir, "stdio");
    ObjectNode stdio;
    try (TsClient client = TsClient.start()) {
      JsonNode connected = client.connectStdio("--config", a[0].toString(), "--metrics", "127.0.0.1:" + a[2]);
      stdio = surface(client, connected, (int) a[1], (int) a[2]);
    }
    Object[] b = config(dir, "http");
    ObjectNode http;
    try (ServerProcess server = ServerProcess.start("127.0.0.1:0", (Path) b[0], "--metrics", "127.0.0.1:" + b[2]);
        TsClient client = TsClient.start()) {
      JsonNode connected = client.connectHttp("main", server.url(), Map.of());
      http = surface(client, connected, (int) b[1], (int) b[2]);
    }
    assertEquals(200, stdio.get("admin /runs").asInt(), stdio.toString());
    assertTrue(stdio.get("metrics").asText().equals("200 with codemode series"), stdio.toString());
    assertTrue(stdio.at("/capabilities/resources").isObject() && stdio.at("/capabilities/tools").isObject(), stdio.toString());
    assertEquals(1, stdio.get("resourceTemplates").size(), stdio.toString());
    assertEquals("true not run: 'timeout_ms' must be a positive whole number of milliseconds", stdio.get("bad arguments").asText());
    assertEquals(stdio, http);
  }
}
