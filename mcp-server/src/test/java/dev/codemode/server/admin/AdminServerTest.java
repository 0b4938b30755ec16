package dev.codemode.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.server.audit.RunIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class AdminServerTest {
  private static final String TOKEN = "test-admin-token-0123456789abcdef";

  private final java.util.List<String> actions = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Test
  void tokenIsRequiredAndOperationsWork() throws Exception {
    try (RunRegistry runs = new RunRegistry(id -> true, Clock.systemUTC());
        AdminServer server = AdminServer.start("127.0.0.1", 0, TOKEN, runs, Clock.systemUTC(), (type, f) -> actions.add(type))) {
      runs.started(new RunIdentity("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "task", "stdio", "stdio", "default"), null);
      HttpClient http = HttpClient.newHttpClient();
      URI base = URI.create("http://127.0.0.1:" + server.port());
      assertEquals(401, http.send(HttpRequest.newBuilder(base.resolve("/runs")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(401, http.send(HttpRequest.newBuilder(base.resolve("/runs")).header("Authorization", "Bearer " + TOKEN + "x").build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(403, http.send(HttpRequest.newBuilder(base.resolve("/runs")).header("Authorization", "Bearer " + TOKEN)
          .header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString()).statusCode());
      AdminClient client = new AdminClient("127.0.0.1", server.port(), TOKEN);
      AdminClient.Answer list = client.call("GET", "/runs");
      assertEquals("task", list.body().path("runs").get(0).path("task_id").asText());
      assertEquals(404, client.call("POST", "/runs/nope/cancel").status());
      assertEquals(200, client.call("POST", "/runs/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/cancel").status());
      assertTrue(client.call("POST", "/killswitch/on").body().path("engaged").asBoolean());
      assertTrue(runs.killswitch().engaged());
      assertEquals(false, client.call("POST", "/killswitch/off").body().path("engaged").asBoolean());
      assertEquals(java.util.List.of("admin_unauthorized", "admin_unauthorized", "admin_cancel", "admin_cancel",
          "admin_killswitch", "admin_killswitch"), actions, "every operator action is audited");
    }
  }
}
