package dev.codemode.server.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.HttpSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestGuardTest {
  private static HttpSettings settings(List<String> origins, List<String> hosts) {
    HttpSettings d = HttpSettings.defaults();
    return new HttpSettings(false, origins, hosts, d.maxRequestBytes(), d.maxHeaderBytes(), d.shutdownGraceMs(), d.rateLimit());
  }

  @Test
  void loopbackOriginsByDefaultAndExactMatchesOtherwise() {
    RequestGuard guard = new RequestGuard(HttpSettings.defaults());
    assertTrue(guard.originAllowed(null));
    for (String ok : List.of("http://localhost", "http://localhost:5173", "https://127.0.0.1:8443", "http://[::1]:3000")) {
      assertTrue(guard.originAllowed(ok), ok);
    }
    for (String bad : List.of("http://evil.example", "null", "http://localhost.evil.example", "http://127.0.0.1.nip.io",
        "file://localhost", "http://localhost/path", "http://user@localhost", "ws://localhost")) {
      assertFalse(guard.originAllowed(bad), bad);
    }
    RequestGuard listed = new RequestGuard(settings(List.of("https://app.example.com"), List.of("loopback")));
    assertTrue(listed.originAllowed("https://app.example.com"));
    assertFalse(listed.originAllowed("https://app.example.com:443"));
    assertFalse(listed.originAllowed("http://localhost:5173"), "a configured list replaces the loopback default");
  }

  @Test
  void hostHeaders() {
    RequestGuard guard = new RequestGuard(HttpSettings.defaults());
    for (String ok : List.of("127.0.0.1:8080", "localhost", "LOCALHOST:1", "[::1]:9")) {
      assertTrue(guard.hostAllowed(ok), ok);
    }
    for (String bad : List.of("evil.example", "evil.example:8080", "127.0.0.1:80x", "", "[::1", "localhost:")) {
      assertFalse(guard.hostAllowed(bad), bad);
    }
    assertFalse(guard.hostAllowed(null));
    assertTrue(guard.loopbackHostsOnly());
    RequestGuard named = new RequestGuard(settings(List.of(), List.of("mcp.internal")));
    assertTrue(named.hostAllowed("mcp.internal:8443"));
    assertFalse(named.hostAllowed("localhost"));
    assertTrue(new RequestGuard(settings(List.of(), List.of("*"))).hostAllowed("anything"));
  }

  @Test
  void listenAddresses() {
    assertEquals(new ListenAddress("127.0.0.1", 8080), ListenAddress.parse("8080"));
    assertEquals(new ListenAddress("127.0.0.1", 8080), ListenAddress.parse(":8080"));
    assertEquals(new ListenAddress("0.0.0.0", 1), ListenAddress.parse("0.0.0.0:1"));
    assertEquals(new ListenAddress("::1", 9), ListenAddress.parse("[::1]:9"));
    assertTrue(ListenAddress.parse("127.0.0.1:0").isLoopback());
    assertTrue(ListenAddress.parse("[::1]:0").isLoopback());
    assertFalse(ListenAddress.parse("0.0.0.0:0").isLoopback());
    for (String bad : List.of("host:", "host:x", "::1:80", "1.2.3.4:70000", "[::1]")) {
      assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(bad), bad);
    }
  }

  @Test
  void errorTextWithJavaInternalsIsReplaced() {
    assertTrue(SafeErrorText.isSafe("{\"code\":-32600,\"message\":\"Session not found: 1234\"}"));
    for (String bad : List.of("java.lang.IllegalStateException: x", "Invalid message format: Cannot deserialize `x`",
        "\tat java.base/java.lang.Thread.run(Thread.java:1)", "io.modelcontextprotocol.spec.McpError: y",
        "McpSchema$JSONRPCRequest", "NullPointerException")) {
      assertFalse(SafeErrorText.isSafe(bad), bad);
      String replaced = SafeErrorText.sanitize(400, bad);
      assertTrue(replaced.startsWith("{\"error\":\"bad request"), replaced);
    }
  }
}
