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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code upstream_proxy} end to end: a real forward proxy (Debian's tinyproxy, started here on loopback,
 * with Basic auth) between codemode and a local server, through the TypeScript SDK client over stdio.
 * The proxy's log shows what it forwarded; the server counts requests that did not come through it.
 */
class UpstreamProxyIT {
  private static final List<String> seen = new CopyOnWriteArrayList<>();
  private static Path dir;
  private static Tinyproxy tinyproxy;
  private static HttpServer web;
  private static TsClient client;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("codemode-upstream-it").toRealPath();
    web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext("/", exchange -> {
      String via = exchange.getRequestHeaders().getFirst("Via");
      seen.add((via == null ? "direct " : "proxied ") + exchange.getRequestURI());
      byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    web.start();
    tinyproxy = Tinyproxy.start(dir, "codemode proxy-pass-123");
    int proxyPort = tinyproxy.port();
    Path auth = Files.writeString(dir.resolve("proxy-auth"), java.util.Base64.getEncoder()
        .encodeToString("codemode:proxy-pass-123".getBytes(StandardCharsets.UTF_8)) + "\n");
    int port = web.getAddress().getPort();
    Path config = Files.writeString(dir.resolve("codemode.yaml"), """
        upstream_proxy: {url: 'http://127.0.0.1:%d', credentials: 'Basic ${file:%s}'}
        profiles:
          default:
            net:
              enabled: true
              allow: [{host: 127.0.0.1, schemes: [http], ports: [%d], allow_private: true}]
          noauth:
            net: {upstream_proxy: {url: 'http://127.0.0.1:%d'}}
          direct:
            net: {upstream_proxy: {url: 'http://127.0.0.1:%d', no_proxy: [127.0.0.1]}}
        """.formatted(proxyPort, auth, port, proxyPort, proxyPort));
    client = TsClient.start();
    client.connectStdio("--config", config.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    web.stop(0);
    tinyproxy.close();
  }

  private static JsonNode run(String code, String profile) throws Exception {
    return client.execute(code, Map.of("profile", profile)).get("structuredContent");
  }

  @Test
  void anAllowedGetGoesOnlyThroughTheProxyAndADeniedOneNeverReachesIt() throws Exception {
    int port = web.getAddress().getPort();
    int deniedPort = port == 65535 ? port - 1 : port + 1;
    JsonNode s = run("""
        const r = await fetch('http://127.0.0.1:%d/through-proxy?x=1');
        let denied; try { await fetch('http://127.0.0.1:%d/denied-target'); denied = 'sent' } catch (e) { denied = e.message }
        return {status: r.status, body: await r.text(), denied};""".formatted(port, deniedPort), "default");
    assertEquals("ok", s.get("status").asText(), s.toString());
    assertEquals(200, s.at("/result/status").asInt(), s.toString());
    assertEquals("hello", s.at("/result/body").asText());
    assertTrue(s.at("/result/denied").asText().contains("denied"), s.toString());
    String log = tinyproxy.log();
    assertTrue(log.contains("GET http://127.0.0.1:" + port + "/through-proxy?x=1 HTTP/1.1"), "the proxy forwarded it: " + log);
    assertFalse(log.contains("denied-target"), "a denied request never reaches the proxy: " + log);
    assertTrue(seen.contains("proxied /through-proxy?x=1"), seen.toString());
    assertEquals(0, seen.stream().filter(r -> r.startsWith("direct /through-proxy")).count(), "no direct connection: " + seen);
    assertFalse(s.toString().contains("proxy-pass-123") || s.toString().contains("Y29kZW1vZGU6"), "proxy credentials reached the guest");
  }

  @Test
  void theProxysRefusalComesBackAsADenial() throws Exception {
    int port = web.getAddress().getPort();
    int before = seen.size();
    JsonNode s = run("try { await fetch('http://127.0.0.1:%d/no-auth'); return 'sent' } catch (e) { return e.message }"
        .formatted(port), "noauth");
    assertTrue(s.get("result").asText().contains("upstream proxy refused the request: 407"), s.toString());
    assertEquals("net", s.at("/denials/0/kind").asText(), s.toString());
    assertTrue(s.at("/denials/0/reason").asText().contains("net.upstream_proxy"), s.toString());
    assertEquals(before, seen.size(), "nothing reached the server");
  }

  @Test
  void noProxyHostsAreReachedDirectly() throws Exception {
    int port = web.getAddress().getPort();
    JsonNode s = run("return (await fetch('http://127.0.0.1:%d/bypass')).status".formatted(port), "direct");
    assertEquals(200, s.get("result").asInt(), s.toString());
    assertTrue(seen.contains("direct /bypass"), seen.toString());
    assertFalse(tinyproxy.log().contains("/bypass"));
  }
}
