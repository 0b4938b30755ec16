package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An egress rule's {@code credential: {header, value: 'Bearer ${env:NAME}'}} through the real server, as
 * an agent reaches it (stdio and Streamable HTTP): the test server sees the variable's value, the guest
 * never sees it (not in the answer, not in a response header that reflects it), and an unset variable
 * stops the server from starting.
 */
class CredentialInjectionIT {
  private static final String SECRET = "canary-" + UUID.randomUUID();
  private static final String VARIABLE = "CODEMODE_IT_API_TOKEN";
  private static final List<String> seen = new CopyOnWriteArrayList<>();
  private static HttpServer web;
  private static Path dir;
  private static Path config;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("codemode-credential-it").toRealPath();
    web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext("/", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      seen.add(String.valueOf(auth));
      // An endpoint that reflects what it was sent, in the header the proxy injected and in another one.
      exchange.getResponseHeaders().add("Authorization", String.valueOf(auth));
      exchange.getResponseHeaders().add("X-Echo", String.valueOf(auth));
      byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    web.start();
    config = Files.writeString(dir.resolve("codemode.yaml"), """
        profiles:
          default:
            net:
              enabled: true
              allow:
                - {host: api.test.local, schemes: [http], ports: [%d], allow_private: true,
                   credential: {header: Authorization, value: 'Bearer ${env:%s}'}}
              resolve: {api.test.local: 127.0.0.1}
        """.formatted(web.getAddress().getPort(), VARIABLE));
  }

  @AfterAll
  static void stop() {
    web.stop(0);
  }

  private static final String CODE = """
      const r = await fetch('http://api.test.local:%d/v1/me', {headers: {Authorization: 'Bearer guest-made'}});
      return {status: r.status, headers: Object.fromEntries(r.headers.entries()), body: await r.text()};""";

  private static void assertInjectedAndHidden(JsonNode answer) {
    JsonNode s = answer.get("structuredContent");
    assertEquals("ok", s.get("status").asText(), answer.toString());
    assertEquals(200, s.at("/result/status").asInt());
    assertEquals("Bearer " + SECRET, seen.get(seen.size() - 1), "the test server sees the variable's value");
    assertFalse(answer.toString().contains(SECRET), "the injected secret reached the guest: " + answer);
    assertTrue(s.at("/result/headers/authorization").isMissingNode(), "the injected header is not handed back: " + s);
  }

  @Test
  void stdioInjectsTheVariablesValueAndNeverHandsItBack() throws Exception {
    try (TsClient client = TsClient.start()) {
      client.connectStdio(Map.of(VARIABLE, SECRET), "--config", config.toString());
      assertInjectedAndHidden(client.execute(CODE.formatted(web.getAddress().getPort())));
    }
  }

  @Test
  void httpInjectsTheVariablesValueAndNeverHandsItBack() throws Exception {
    try (ServerProcess server = ServerProcess.start(config, Map.of(VARIABLE, SECRET)); TsClient client = TsClient.start()) {
      client.connectHttp("a", server.url(), Map.of());
      JsonNode answer = TsClient.value(client.executeAs("a", CODE.formatted(web.getAddress().getPort()), Map.of())
          .get(120, TimeUnit.SECONDS));
      assertInjectedAndHidden(answer);
      assertFalse(server.log().contains(SECRET), "the secret reached the server's log");
    }
  }

  @Test
  void anUnsetVariableStopsTheServerFromStarting() throws Exception {
    String[] exit = ServerProcess.startExpectingFailure("127.0.0.1:0", config);
    assertNotEquals("0", exit[0], exit[1]);
    assertTrue(exit[1].contains(VARIABLE) && exit[1].contains("not set"), exit[1]);
  }
}
