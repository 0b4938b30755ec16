package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.server.admin.AdminClient;
import dev.codemode.server.auth.TokenHash;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Oversight over Streamable HTTP, through the TypeScript SDK client and {@code bin/codemode admin} as an
 * operator runs it: artifacts are resources of their principal, the killswitch refuses and restores, an
 * operator cancels a run by id.
 */
class HttpOversightIT {
  private static final String ALICE = "alice-token-0123456789abcdef";
  private static final String BOB = "bob-token-0123456789abcdef0";
  private static final String ADMIN_TOKEN = "it-admin-token-4f1c9e0b7d2a6c58";
  private static int adminPort;
  private static Path dir;
  private static Path config;
  private static ServerProcess server;
  private static TsClient client;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("codemode-http-oversight-it").toRealPath();
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      adminPort = s.getLocalPort();
    }
    config = Files.writeString(dir.resolve("codemode.yaml"), """
        profiles:
          default:
            proc: {wall_ms: 120000, cpu_ms: 120000}
        auth:
          tokens:
            - {principal: alice, sha256: '%s', profiles: [default]}
            - {principal: bob, sha256: '%s', profiles: [default]}
        artifacts: {dir: ./artifacts}
        admin: {enabled: true, listen: '127.0.0.1:%d', token: '%s'}
        """.formatted(TokenHash.configForm(ALICE), TokenHash.configForm(BOB), adminPort, ADMIN_TOKEN));
    server = ServerProcess.start(config);
    client = TsClient.start();
    client.connectHttp("alice", server.url(), Map.of("Authorization", "Bearer " + ALICE));
    client.connectHttp("bob", server.url(), Map.of("Authorization", "Bearer " + BOB));
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static JsonNode run(String code) throws Exception {
    return TsClient.value(client.executeAs("alice", code, Map.of()).get(120, TimeUnit.SECONDS));
  }

  private static CodemodeCli admin(String... words) throws Exception {
    String[] args = new String[words.length + 3];
    args[0] = "admin";
    args[1] = "--config";
    args[2] = config.toString();
    System.arraycopy(words, 0, args, 3, words.length);
    return CodemodeCli.run(dir, Map.of(), args);
  }

  @Test
  void artifactIsReadByItsPrincipalOnly() throws Exception {
    JsonNode r = run("await fs.mkdir('/workspace/out', {recursive: true});\n"
        + "await fs.writeFile('/workspace/out/report.txt', 'quarterly: 42\\n');\nreturn 'written'");
    assertEquals("ok", r.at("/structuredContent/status").asText(), r.toString());
    String uri = r.at("/structuredContent/artifacts/0/uri").asText();
    assertTrue(uri.endsWith("/report.txt"), r.toString());
    assertEquals("quarterly: 42\n", client.readResourceAs("alice", uri).at("/contents/0/text").asText());
    JsonNode foreign = client.readResourceRaw("bob", uri);
    assertFalse(foreign.path("ok").asBoolean(), foreign.toString());
    assertTrue(foreign.path("error").asText().toLowerCase().contains("not found"), foreign.toString());
    assertFalse(foreign.toString().contains("quarterly"), foreign.toString());
  }

  @Test
  void killswitchThroughTheAdminCommandRefusesAndRestoresHttpRuns() throws Exception {
    CodemodeCli on = admin("killswitch", "on");
    assertEquals(0, on.exit(), on.output());
    try {
      JsonNode refused = run("return 1");
      assertTrue(refused.get("isError").asBoolean(), refused.toString());
      assertTrue(refused.at("/content/0/text").asText().startsWith("not run: the operator's killswitch is on"), refused.toString());
    } finally {
      CodemodeCli off = admin("killswitch", "off");
      assertEquals(0, off.exit(), off.output());
      assertTrue(off.output().contains("\"engaged\" : false"), off.output());
    }
    assertEquals("ok", run("return 1").at("/structuredContent/status").asText());
  }

  @Test
  void adminCancelEndsALongHttpRun() throws Exception {
    CompletableFuture<JsonNode> spinning = client.executeAs("bob", "while (true) {}", Map.of());
    String runId = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (runId == null && System.nanoTime() < deadline) {
      for (JsonNode run : new AdminClient("127.0.0.1", adminPort, ADMIN_TOKEN).call("GET", "/runs").body().path("runs")) {
        if (run.path("principal").asText().equals("bob")) {
          runId = run.path("run_id").asText();
        }
      }
    }
    assertTrue(runId != null, "the run shows in the admin endpoint's runs");
    assertTrue(admin("runs").output().contains(runId), "and in 'codemode admin runs'");
    CodemodeCli cancel = admin("cancel", runId);
    assertEquals(0, cancel.exit(), cancel.output());
    JsonNode ended = TsClient.value(spinning.get(20, TimeUnit.SECONDS));
    assertEquals("cancelled", ended.at("/structuredContent/status").asText(), ended.toString());
    assertEquals(runId, ended.at("/structuredContent/run_id").asText());
  }
}
