package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every credential source through the real server (stdio, TypeScript SDK client): {@code ${env:…}},
 * {@code ${file:…}} rotated on disk, a command with a TTL, and OAuth client credentials from a local token
 * endpoint (fetched once, reused, refreshed after expiry and after a 401). Each source's secret is a
 * canary that must never reach an answer, the audit log or the server's log, also when a source fails.
 */
class CredentialSourcesIT {
  private static final String ENV_SECRET = "env-canary-" + UUID.randomUUID();
  private static final String FILE_V1 = "file-canary-v1-" + UUID.randomUUID();
  private static final String FILE_V2 = "file-canary-v2-" + UUID.randomUUID();
  private static final String CMD_SECRET = "cmd-canary-" + UUID.randomUUID();
  private static final String CMD_STDERR = "cmd-stderr-canary-" + UUID.randomUUID();
  private static final String CLIENT_ID = "client-" + UUID.randomUUID();
  private static final String CLIENT_SECRET = "client-secret-canary-" + UUID.randomUUID();
  private static final String TOKEN_PREFIX = "oauth-canary-";
  private static final List<String> seen = new CopyOnWriteArrayList<>();
  private static final List<String> tokensIssued = new CopyOnWriteArrayList<>();
  private static final Set<String> revoked = ConcurrentHashMap.newKeySet();
  private static final AtomicInteger tokenCalls = new AtomicInteger();
  private static Path dir;
  private static Path secretFile;
  private static HttpServer web;
  private static TsClient client;
  private static Path stderr;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("codemode-sources-it").toRealPath();
    web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext("/api", exchange -> {
      String host = exchange.getRequestHeaders().getFirst("Host");
      String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
      seen.add(host.substring(0, host.indexOf('.')) + " " + auth);
      int status = revoked.contains(auth.replace("Bearer ", "")) ? 401 : 200;
      exchange.getResponseHeaders().add("X-Echo", auth);
      byte[] body = ("you sent " + auth).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    web.createContext("/token", exchange -> {
      tokenCalls.incrementAndGet();
      String basic = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
      String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
      String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      boolean ok = basic.equals(expected) && form.contains("grant_type=client_credentials") && form.contains("scope=read")
          && form.contains("audience=api");
      String token = TOKEN_PREFIX + tokensIssued.size() + "-" + UUID.randomUUID();
      byte[] body = ok ? ("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":8}").getBytes(StandardCharsets.UTF_8)
          : ("{\"error\":\"invalid_client\",\"echo\":\"" + basic + form + "\"}").getBytes(StandardCharsets.UTF_8);
      if (ok) {
        tokensIssued.add(token);
      }
      exchange.sendResponseHeaders(ok ? 200 : 400, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    web.start();
    int port = web.getAddress().getPort();
    secretFile = Files.writeString(dir.resolve("file-secret"), FILE_V1 + "\n");
    Path clientSecret = Files.writeString(dir.resolve("client-secret"), CLIENT_SECRET);
    String rule = "{host: %s.test.local, schemes: [http], ports: [" + port + "], allow_private: true, "
        + "credential: {header: Authorization, value: '%s'}}";
    Path config = Files.writeString(dir.resolve("codemode.yaml"), """
        audit: {sink: file, path: ./audit.log}
        credentials:
          cmd: {command: ['/bin/sh', '-c', 'echo %s >&2; echo %s'], ttl_s: 600}
          failing: {command: ['/bin/sh', '-c', 'echo %s >&2; exit 3']}
          idp:
            oauth_client_credentials: {token_url: 'http://127.0.0.1:%d/token', client_id: '${env:CODEMODE_IT_CLIENT_ID}',
                                       client_secret: '${file:%s}', scope: read, audience: api}
          badidp:
            oauth_client_credentials: {token_url: 'http://127.0.0.1:%d/token', client_id: wrong, client_secret: '${file:%s}'}
        profiles:
          default:
            net:
              enabled: true
              allow:
                - %s
                - %s
                - %s
                - %s
                - %s
                - %s
              resolve: {env.test.local: 127.0.0.1, file.test.local: 127.0.0.1, cmd.test.local: 127.0.0.1,
                        oauth.test.local: 127.0.0.1, failing.test.local: 127.0.0.1, badidp.test.local: 127.0.0.1}
        """.formatted(CMD_STDERR, CMD_SECRET, CMD_STDERR, port, clientSecret, port, clientSecret,
        rule.formatted("env", "Bearer ${env:CODEMODE_IT_ENV_SECRET}"), rule.formatted("file", "Bearer ${file:" + secretFile + "}"),
        rule.formatted("cmd", "Bearer ${credential:cmd}"), rule.formatted("oauth", "Bearer ${credential:idp}"),
        rule.formatted("failing", "Bearer ${credential:failing}"), rule.formatted("badidp", "Bearer ${credential:badidp}")));
    stderr = dir.resolve("server.err");
    client = TsClient.start();
    client.connectStdio(Map.of("CODEMODE_IT_ENV_SECRET", ENV_SECRET, "CODEMODE_IT_CLIENT_ID", CLIENT_ID), stderr,
        "--config", config.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    web.stop(0);
    List<String> canaries = new ArrayList<>(List.of(ENV_SECRET, FILE_V1, FILE_V2, CMD_SECRET, CMD_STDERR, CLIENT_SECRET));
    canaries.addAll(tokensIssued);
    String audit = Files.readString(dir.resolve("audit.log"));
    String log = Files.readString(stderr);
    assertTrue(audit.length() > 0, "the audit log was written");
    for (String canary : canaries) {
      assertFalse(audit.contains(canary), "a secret reached the audit log");
      assertFalse(log.contains(canary), "a secret reached the server's log");
    }
  }

  private static JsonNode fetch(String source) throws Exception {
    JsonNode answer = client.execute("""
        try {
          const r = await fetch('http://%s.test.local:%d/api/x');
          return {status: r.status, body: await r.text(), headers: Object.fromEntries(r.headers.entries())};
        } catch (e) { return {error: e.message} }""".formatted(source, web.getAddress().getPort()));
    String all = answer.toString();
    for (String canary : List.of(ENV_SECRET, FILE_V1, FILE_V2, CMD_SECRET, CMD_STDERR, CLIENT_SECRET, TOKEN_PREFIX)) {
      assertFalse(all.contains(canary), "a secret reached the answer: " + all);
    }
    return answer.at("/structuredContent/result");
  }

  private static String lastSeen() {
    return seen.get(seen.size() - 1);
  }

  @Test
  void envAndCommandValuesAreInjected() throws Exception {
    assertEquals(200, fetch("env").path("status").asInt());
    assertEquals("env Bearer " + ENV_SECRET, lastSeen());
    assertEquals(200, fetch("cmd").path("status").asInt());
    assertEquals("cmd Bearer " + CMD_SECRET, lastSeen());
  }

  @Test
  void aFileChangedOnDiskIsUsedByTheNextRequestWithoutARestart() throws Exception {
    assertEquals(200, fetch("file").path("status").asInt());
    assertEquals("file Bearer " + FILE_V1, lastSeen());
    Path next = Files.writeString(dir.resolve("file-secret.next"), FILE_V2 + "\n");
    Files.move(next, secretFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    assertEquals(200, fetch("file").path("status").asInt());
    assertEquals("file Bearer " + FILE_V2, lastSeen());
  }

  @Test
  void anOAuthTokenIsFetchedOnceReusedAndRefreshedAfterExpiryAndAfter401() throws Exception {
    int before = tokenCalls.get();
    assertEquals(200, fetch("oauth").path("status").asInt());
    String first = lastSeen();
    assertEquals(200, fetch("oauth").path("status").asInt());
    assertEquals(first, lastSeen(), "the cached token is reused");
    assertEquals(before + 1, tokenCalls.get(), "fetched once");
    Thread.sleep(8200); // the token said expires_in: 8
    assertEquals(200, fetch("oauth").path("status").asInt());
    assertEquals(before + 2, tokenCalls.get(), "fetched again after expiry");
    String second = lastSeen();
    assertFalse(second.equals(first));
    revoked.add(second.substring("oauth Bearer ".length()));
    assertEquals(200, fetch("oauth").path("status").asInt(), "a 401 brings one refresh and one retry");
    assertEquals(before + 3, tokenCalls.get());
  }

  @Test
  void aFailingSourceIsAClearErrorWithoutItsOutput() throws Exception {
    JsonNode cmd = fetch("failing");
    assertTrue(cmd.path("error").asText().contains("${credential:failing}") && cmd.path("error").asText().contains("status 3"),
        cmd.toString());
    JsonNode idp = fetch("badidp");
    assertTrue(idp.path("error").asText().contains("HTTP 400"), idp.toString());
  }
}
