package dev.codemode.server.egress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.CredentialSpec;
import dev.codemode.policies.EgressRuleSpec;
import dev.codemode.policies.NetPolicy;
import dev.codemode.server.Secrets;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.DenialRule;
import dev.codemode.runtime.EgressRecord;
import dev.codemode.runtime.RunJournal;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EgressProxyTest {
  private static final String API = "api.test.example";
  private LocalServers.Recording server;
  private LocalServers.Tripwire tripwire;
  private final RunJournal journal = new RunJournal();

  @BeforeEach
  void start() throws Exception {
    server = new LocalServers.Recording();
    server.route("/hello", ex -> LocalServers.respond(ex, 200, "hello " + ex.getRequestMethod(), "X-Test", "yes",
        "Set-Cookie", "session=secret"));
    server.route("/big", ex -> LocalServers.respond(ex, 200, "x".repeat(10_000)));
    server.route("/big-chunked", ex -> {
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 0; i < 10; i++) {
          out.write("y".repeat(1000).getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      }
    });
    server.route("/chunked-small", ex -> {
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        out.write("part1-".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        out.write("part2".getBytes(StandardCharsets.US_ASCII));
      }
    });
    server.route("/chain/", ex -> {
      int n = Integer.parseInt(ex.getRequestURI().getPath().substring("/chain/".length()));
      LocalServers.respond(ex, 302, "", "Location", "/chain/" + (n + 1));
    });
    server.route("/to-evil", ex -> LocalServers.respond(ex, 302, "", "Location", "http://evil.test.example:" + server.port() + "/x"));
    server.route("/to-ip", ex -> LocalServers.respond(ex, 301, "", "Location", "http://2130706433:" + server.port() + "/hello"));
    server.route("/see-other", ex -> LocalServers.respond(ex, 303, "", "Location", "/hello"));
    server.route("/temporary", ex -> LocalServers.respond(ex, 307, "", "Location", "/hello"));
    server.route("/slow", ex -> {
      try {
        Thread.sleep(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      LocalServers.respond(ex, 200, "late");
    });
    tripwire = new LocalServers.Tripwire();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    tripwire.close();
  }

  private EgressRuleSpec local(String host, List<String> methods, boolean allowPrivate, CredentialSpec credential) {
    return new EgressRuleSpec(host, List.of("http"), List.of(server.port()), methods, List.of(), allowPrivate, credential);
  }

  private static NetPolicy net(List<EgressRuleSpec> allow, Map<String, String> resolve, int maxRequests, long maxResponse) {
    return new NetPolicy(true, allow, List.of(), resolve, maxRequests, 1 << 20, maxResponse, 5000, 0);
  }

  private EgressProxy apiProxy(List<String> methods) {
    return EgressProxy.build(net(List.of(local(API, methods, true, null)), Map.of(API, "127.0.0.1"), 20, 1 << 20), new Secrets(Map.of()));
  }

  private String api(String path) {
    return "http://" + API + ":" + server.port() + path;
  }

  private static FetchRequest get(String url) {
    return new FetchRequest(url, "GET", Map.of(), null);
  }

  @Test
  void allowedGetViaResolveOverrideWithAllowPrivate() throws Exception {
    EgressProxy proxy = apiProxy(List.of("GET"));
    FetchResponse response = proxy.fetch(get(api("/hello?q=1")), journal, proxy.newBudget());
    assertEquals(200, response.status());
    assertEquals("OK", response.statusText());
    assertEquals("hello GET", new String(response.body(), StandardCharsets.UTF_8));
    assertEquals(List.of("yes"), response.headers().get("x-test"));
    assertNull(response.headers().get("set-cookie"), "Set-Cookie is hidden from the guest");
    assertEquals(api("/hello?q=1"), response.finalUrl());
    LocalServers.Seen seen = server.seen.get(0);
    assertEquals("/hello?q=1", seen.uri());
    assertEquals(API + ":" + server.port(), seen.header("Host"));
    assertEquals("identity", seen.header("Accept-Encoding"));
    assertEquals(List.of(new EgressRecord("GET", api("/hello?q=1"), "allowed")), journal.egress());
    assertTrue(journal.denials().isEmpty());
  }

  @Test
  void chunkedResponsesAreDecoded() throws Exception {
    EgressProxy proxy = apiProxy(List.of("GET"));
    FetchResponse response = proxy.fetch(get(api("/chunked-small")), journal, proxy.newBudget());
    assertEquals("part1-part2", new String(response.body(), StandardCharsets.UTF_8));
  }

  @Test
  void postToTheSameUrlIsDeniedByMethod() throws Exception {
    EgressProxy proxy = apiProxy(List.of("GET"));
    FetchRequest post = new FetchRequest(api("/hello"), "POST", Map.of(), "data".getBytes(StandardCharsets.UTF_8));
    EgressDeniedException e = assertThrows(EgressDeniedException.class, () -> proxy.fetch(post, journal, proxy.newBudget()));
    assertEquals("allow rule #1 (host " + API + "): method POST not in [GET]", e.getMessage());
    assertEquals(List.of(new Denial(DenialRule.NET_RULE, api("/hello"), e.getMessage())), journal.denials());
    assertEquals(List.of(new EgressRecord("POST", api("/hello"), "denied")), journal.egress());
    assertTrue(server.seen.isEmpty());
  }

  @Test
  void networkDisabledIsAClearDenialWithNoConnection() throws Exception {
    NetPolicy off = new NetPolicy(false, List.of(local("127.0.0.1", List.of("GET"), true, null)), List.of(), Map.of(),
        20, 1 << 20, 1 << 20, 5000, 0);
    EgressProxy proxy = EgressProxy.build(off, new Secrets(Map.of()));
    String url = "http://127.0.0.1:" + tripwire.port() + "/";
    EgressDeniedException e = assertThrows(EgressDeniedException.class, () -> proxy.fetch(get(url), journal, proxy.newBudget()));
    assertEquals("network access is disabled by policy (profile net.enabled: false)", e.getMessage());
    assertEquals(List.of(new Denial(DenialRule.NET_DISABLED, url, e.getMessage())), journal.denials());
    assertEquals(0, tripwire.settledCount());
  }

  @Test
  void aDisabledPolicyBuildsEvenWithZeroLimits() throws Exception {
    EgressProxy proxy = EgressProxy.build(new NetPolicy(false, List.of(), List.of(), Map.of(), 0, 0, 0, 0, 0), new Secrets(Map.of()));
    EgressDeniedException e = assertThrows(EgressDeniedException.class,
        () -> proxy.fetch(get("https://example.com/"), journal, proxy.newBudget()));
    assertEquals("network access is disabled by policy (profile net.enabled: false)", e.getMessage());
  }

  @Test
  void nonAsciiPathsArePercentEncodedBeforeMatchingAndSending() throws Exception {
    EgressProxy proxy = apiProxy(List.of("GET"));
    FetchResponse response = proxy.fetch(get(api("/hello/caf\u00e9")), journal, proxy.newBudget());
    assertEquals(200, response.status());
    assertEquals("/hello/caf%C3%A9", server.seen.get(0).uri());
  }

  @Test
  void exfiltrationEndpointIsDeniedBeforeAnySocketOpens() throws Exception {
    EgressRuleSpec anthropic = new EgressRuleSpec("api.anthropic.com", List.of("https"), List.of(tripwire.port()),
        List.of("GET", "POST"), List.of(), true, null);
    EgressProxy proxy = EgressProxy.build(net(List.of(anthropic), Map.of("api.anthropic.com", "127.0.0.1"), 20, 1 << 20), new Secrets(Map.of()));
    String files = "https://api.anthropic.com:" + tripwire.port() + "/v1/files";
    FetchRequest upload = new FetchRequest(files, "POST", Map.of("x-api-key", "sk-ant-guest", "content-type", "application/json"),
        "{\"file\":\"secrets\"}".getBytes(StandardCharsets.UTF_8));
    EgressDeniedException e = assertThrows(EgressDeniedException.class, () -> proxy.fetch(upload, journal, proxy.newBudget()));
    assertTrue(e.getMessage().startsWith("built-in exfiltration deny rule (host api.anthropic.com)"), e.getMessage());
    assertEquals(0, tripwire.settledCount(), "no socket may open for a denied upload");
    assertEquals("denied", journal.egress().get(0).outcome());

    // Control: the same rule does let another path through, and that one does reach the listener.
    FetchRequest messages = new FetchRequest("https://api.anthropic.com:" + tripwire.port() + "/v1/messages", "POST",
        Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
    EgressException failed = assertThrows(EgressException.class, () -> proxy.fetch(messages, journal, proxy.newBudget()));
    assertFalse(failed instanceof EgressDeniedException, failed.getMessage());
    assertEquals(1, tripwire.settledCount());
  }

  @Test
  void guestCredentialsAreStrippedAndTheConfiguredOneInjected() throws Exception {
    CredentialSpec credential = new CredentialSpec("Authorization", "Bearer ${env:API_TOKEN}");
    EgressProxy proxy = EgressProxy.build(net(List.of(local(API, List.of("GET"), true, credential)), Map.of(API, "127.0.0.1"),
        20, 1 << 20), new Secrets(Map.of("API_TOKEN", "s3cret")));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("authorization", "Bearer guest-token");
    headers.put("Cookie", "session=stolen");
    headers.put("X-API-KEY", "guest-key");
    headers.put("X-Auth-Token", "t");
    headers.put("Proxy-Anything", "p");
    headers.put("Host", "evil.example");
    headers.put("Connection", "close, X-Hop");
    headers.put("X-Hop", "hop");
    headers.put("X-Forwarded-For", "10.0.0.1");
    headers.put("X-Custom", "kept");
    proxy.fetch(new FetchRequest(api("/hello"), "GET", headers, null), journal, proxy.newBudget());
    LocalServers.Seen seen = server.seen.get(0);
    assertEquals("Bearer s3cret", seen.header("Authorization"));
    assertEquals(1, seen.headerCount("Authorization"));
    assertNull(seen.header("Cookie"));
    assertNull(seen.header("X-Api-Key"));
    assertNull(seen.header("X-Auth-Token"));
    assertNull(seen.header("Proxy-Anything"));
    assertNull(seen.header("X-Hop"));
    assertNull(seen.header("X-Forwarded-For"));
    assertEquals(API + ":" + server.port(), seen.header("Host"));
    assertEquals("kept", seen.header("X-Custom"));
  }

  @Test
  void headerInjectionIsRefused() throws Exception {
    EgressProxy proxy = apiProxy(List.of("GET"));
    for (Map<String, String> bad : List.of(Map.of("X-Bad", "a\r\nInjected: 1"), Map.of("X-Bad", "a\nb"), Map.of("X-Bad", "a\u0000b"),
        Map.of("X Bad", "v"), Map.of("X-Bad\r\nInjected", "v"))) {
      EgressDeniedException e = assertThrows(EgressDeniedException.class,
          () -> proxy.fetch(new FetchRequest(api("/hello"), "GET", bad, null), journal, proxy.newBudget()));
      assertFalse(e.getMessage().contains("\r") || e.getMessage().contains("\n"), e.getMessage());
    }
    assertTrue(server.seen.isEmpty());
  }

  @Test
  void redirectToAForbiddenHostIsDenied() throws Exception {
    EgressProxy proxy = EgressProxy.build(net(List.of(local(API, List.of("GET"), true, null)),
        Map.of(API, "127.0.0.1", "evil.test.example", "127.0.0.1"), 20, 1 << 20), new Secrets(Map.of()));
    String evil = "http://evil.test.example:" + server.port() + "/x";
    EgressDeniedException e = assertThrows(EgressDeniedException.class, () -> proxy.fetch(get(api("/to-evil")), journal, proxy.newBudget()));
    assertEquals("redirect to '" + evil + "' denied: no allow rule matches host 'evil.test.example'", e.getMessage());
    assertEquals(1, server.seen.size());
    assertEquals(List.of(new EgressRecord("GET", api("/to-evil"), "allowed"), new EgressRecord("GET", evil, "denied")), journal.egress());
    assertEquals(evil, journal.denials().get(0).target());
  }

  @Test
  void redirectToAnIpSpellingOfTheListenerIsDenied() throws Exception {
    EgressProxy proxy = apiProxy(List.of("GET"));
    EgressDeniedException e = assertThrows(EgressDeniedException.class, () -> proxy.fetch(get(api("/to-ip")), journal, proxy.newBudget()));
    assertTrue(e.getMessage().endsWith("no allow rule matches host '127.0.0.1'"), e.getMessage());
    assertEquals(1, server.seen.size());
  }

  @Test
  void redirectChainLongerThanFiveIsStopped() throws Exception {
    EgressProxy proxy = apiProxy(List.of("GET"));
    EgressBudget budget = proxy.newBudget();
    EgressException e = assertThrows(EgressException.class, () -> proxy.fetch(get(api("/chain/0")), journal, budget));
    assertFalse(e instanceof EgressDeniedException);
    assertTrue(e.getMessage().startsWith("too many redirects (more than 5)"), e.getMessage());
    assertEquals(6, server.seen.size(), "the original request and five redirects");
    assertEquals("/chain/5", server.seen.get(5).uri());
    assertEquals(6, budget.used(), "every hop counts against the request budget");
  }

  @Test
  void redirectMethodRules() throws Exception {
    EgressProxy proxy = apiProxy(List.of("GET", "POST"));
    byte[] body = "payload".getBytes(StandardCharsets.UTF_8);
    FetchResponse seeOther = proxy.fetch(new FetchRequest(api("/see-other"), "POST", Map.of("Content-Type", "text/plain"), body),
        journal, proxy.newBudget());
    assertEquals("hello GET", new String(seeOther.body(), StandardCharsets.UTF_8));
    assertEquals(0, server.seen.get(1).body().length);
    assertNull(server.seen.get(1).header("Content-Type"));
    FetchResponse temporary = proxy.fetch(new FetchRequest(api("/temporary"), "POST", Map.of(), body), journal, proxy.newBudget());
    assertEquals("hello POST", new String(temporary.body(), StandardCharsets.UTF_8));
    assertArrayEquals(body, server.seen.get(3).body());
    assertEquals(api("/hello"), temporary.finalUrl());
  }

  @Test
  void responseCapStopsReadingAndNamesTheCap() throws Exception {
    EgressProxy proxy = EgressProxy.build(net(List.of(local(API, List.of("GET"), true, null)), Map.of(API, "127.0.0.1"), 20, 1000),
        new Secrets(Map.of()));
    for (String path : List.of("/big", "/big-chunked")) {
      EgressException e = assertThrows(EgressException.class, () -> proxy.fetch(get(api(path)), journal, proxy.newBudget()));
      assertTrue(e.getMessage().endsWith("response body exceeds net.max_response_bytes (1000 bytes)"), e.getMessage());
    }
    assertEquals("error: response body exceeds net.max_response_bytes (1000 bytes)", journal.egress().get(0).outcome());
    assertTrue(journal.denials().isEmpty());
  }

  @Test
  void requestBudgetIsPerRun() throws Exception {
    EgressProxy proxy = EgressProxy.build(net(List.of(local(API, List.of("GET"), true, null)), Map.of(API, "127.0.0.1"), 2, 1 << 20),
        new Secrets(Map.of()));
    EgressBudget budget = proxy.newBudget();
    proxy.fetch(get(api("/hello")), journal, budget);
    proxy.fetch(get(api("/hello")), journal, budget);
    EgressLimitException e = assertThrows(EgressLimitException.class, () -> proxy.fetch(get(api("/hello")), journal, budget));
    assertEquals("net.max_requests", e.limit());
    assertEquals("request budget exhausted: net.max_requests allows 2 requests per run", e.getMessage());
    assertEquals(2, server.seen.size());
    proxy.fetch(get(api("/hello")), journal, proxy.newBudget()); // a new run starts afresh
    assertEquals(3, server.seen.size());
  }

  @Test
  void requestBodyCap() throws Exception {
    NetPolicy policy = new NetPolicy(true, List.of(local(API, List.of("POST"), true, null)), List.of(), Map.of(API, "127.0.0.1"),
        20, 10, 1 << 20, 5000, 0);
    EgressProxy proxy = EgressProxy.build(policy, new Secrets(Map.of()));
    FetchRequest post = new FetchRequest(api("/hello"), "POST", Map.of(), new byte[11]);
    EgressLimitException e = assertThrows(EgressLimitException.class, () -> proxy.fetch(post, journal, proxy.newBudget()));
    assertEquals("net.max_request_bytes", e.limit());
    assertEquals("request body of 11 bytes exceeds net.max_request_bytes (10 bytes)", e.getMessage());
    assertTrue(server.seen.isEmpty());
    proxy.fetch(new FetchRequest(api("/hello"), "POST", Map.of(), new byte[10]), journal, proxy.newBudget());
    assertEquals(10, server.seen.get(0).body().length);
  }

  @Test
  void privateAddressWithoutAllowPrivateIsDenied() throws Exception {
    EgressProxy proxy = EgressProxy.build(net(List.of(local("localhost", List.of("GET"), false, null),
        local("127.0.0.1", List.of("GET"), false, null)), Map.of(), 20, 1 << 20), new Secrets(Map.of()));
    EgressDeniedException byName = assertThrows(EgressDeniedException.class,
        () -> proxy.fetch(get("http://localhost:" + server.port() + "/hello"), journal, proxy.newBudget()));
    assertTrue(byName.getMessage().matches("host 'localhost' resolves to .+ \\(loopback\\), which allow rule #1 \\(host localhost\\) "
        + "does not allow \\(allow_private: false\\)"), byName.getMessage());
    EgressDeniedException byIp = assertThrows(EgressDeniedException.class,
        () -> proxy.fetch(get("http://0x7f.1:" + server.port() + "/hello"), journal, proxy.newBudget()));
    assertEquals("host '127.0.0.1' resolves to 127.0.0.1 (loopback), which allow rule #2 (host 127.0.0.1) does not allow "
        + "(allow_private: false)", byIp.getMessage());
    assertTrue(server.seen.isEmpty());
  }

  @Test
  void resolveOverrideNeedsAllowPrivate() throws Exception {
    EgressProxy proxy = EgressProxy.build(net(List.of(local(API, List.of("GET"), false, null)), Map.of(API, "127.0.0.1"), 20, 1 << 20),
        new Secrets(Map.of()));
    EgressDeniedException e = assertThrows(EgressDeniedException.class, () -> proxy.fetch(get(api("/hello")), journal, proxy.newBudget()));
    assertEquals("net.resolve override for '" + API + "' is honoured only by rules with allow_private: true, and allow rule #1 "
        + "(host " + API + ") does not set it", e.getMessage());
    assertTrue(server.seen.isEmpty());
  }

  @Test
  void metadataIsDeniedEvenWithAllowPrivate() throws Exception {
    EgressProxy proxy = EgressProxy.build(net(List.of(local("metadata.google.internal", List.of("GET"), true, null),
        local(API, List.of("GET"), true, null)), Map.of(API, "169.254.169.254"), 20, 1 << 20), new Secrets(Map.of()));
    EgressDeniedException byName = assertThrows(EgressDeniedException.class,
        () -> proxy.fetch(get("http://metadata.google.internal:" + server.port() + "/"), journal, proxy.newBudget()));
    assertTrue(byName.getMessage().contains("cloud metadata"), byName.getMessage());
    EgressDeniedException byAddress = assertThrows(EgressDeniedException.class,
        () -> proxy.fetch(get(api("/")), journal, proxy.newBudget()));
    assertTrue(byAddress.getMessage().contains("169.254.169.254, a cloud metadata address"), byAddress.getMessage());
  }

  @Test
  void timeoutIsEnforcedPerRequest() throws Exception {
    NetPolicy policy = new NetPolicy(true, List.of(local(API, List.of("GET"), true, null)), List.of(), Map.of(API, "127.0.0.1"),
        20, 1 << 20, 1 << 20, 300, 0);
    EgressProxy proxy = EgressProxy.build(policy, new Secrets(Map.of()));
    long start = System.nanoTime();
    EgressException e = assertThrows(EgressException.class, () -> proxy.fetch(get(api("/slow")), journal, proxy.newBudget()));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(e.getMessage().endsWith("timed out after 300 ms (net.timeout_ms)"), e.getMessage());
    assertTrue(ms < 2000, "took " + ms + " ms");
  }

  @Test
  void interruptingTheCallingThreadEndsABlockedFetch() throws Exception {
    NetPolicy policy = new NetPolicy(true, List.of(local(API, List.of("GET"), true, null)), List.of(), Map.of(API, "127.0.0.1"),
        20, 1 << 20, 1 << 20, 30_000, 0);
    EgressProxy proxy = EgressProxy.build(policy, new Secrets(Map.of()));
    Exception[] thrown = new Exception[1];
    Thread caller = new Thread(() -> {
      try {
        proxy.fetch(get(api("/slow")), journal, proxy.newBudget());
      } catch (Exception e) {
        thrown[0] = e;
      }
    });
    caller.start();
    while (server.seen.isEmpty()) {
      Thread.sleep(10);
    }
    long start = System.nanoTime();
    caller.interrupt();
    caller.join(2000);
    assertFalse(caller.isAlive(), "fetch must end when its thread is interrupted");
    assertTrue((System.nanoTime() - start) / 1_000_000 < 1500);
    assertInstanceOf(EgressException.class, thrown[0]);
  }

  @Test
  void aSpentBudgetLeavesNoFreeDnsChannelUnderAWildcardRule() throws Exception {
    // Each subdomain under a wildcard rule is a DNS query that carries data out; once the budget is spent
    // the request must be refused before its name is looked up.
    EgressRuleSpec wildcard = new EgressRuleSpec("*.dns-channel.invalid", List.of("http"), List.of(80), List.of("GET"),
        List.of(), false, null);
    EgressProxy proxy = EgressProxy.build(net(List.of(local(API, List.of("GET"), true, null), wildcard),
        Map.of(API, "127.0.0.1"), 1, 1 << 20), new Secrets(Map.of()));
    EgressBudget budget = proxy.newBudget();
    proxy.fetch(get(api("/hello")), journal, budget);
    EgressLimitException e = assertThrows(EgressLimitException.class,
        () -> proxy.fetch(get("http://c2VjcmV0.dns-channel.invalid/"), journal, budget));
    assertEquals("net.max_requests", e.limit(), e.getMessage());
    assertEquals(1, budget.used());
    assertEquals("denied", journal.egress().get(1).outcome(), "refused before any lookup: " + journal.egress());
  }

  @Test
  void aLookupCountsAgainstTheBudgetEvenWhenItFails() throws Exception {
    EgressRuleSpec wildcard = new EgressRuleSpec("*.dns-channel.invalid", List.of("http"), List.of(80), List.of("GET"),
        List.of(), false, null);
    EgressProxy proxy = EgressProxy.build(net(List.of(wildcard), Map.of(), 5, 1 << 20), new Secrets(Map.of()));
    EgressBudget budget = proxy.newBudget();
    assertThrows(EgressException.class, () -> proxy.fetch(get("http://a.dns-channel.invalid/"), journal, budget));
    assertEquals(1, budget.used(), "the lookup took a request from the budget: " + journal.egress());
  }

  @Test
  void unsupportedMethodsAndUrlsAreRefusedByName() throws Exception {
    EgressProxy proxy = apiProxy(List.of("GET"));
    EgressDeniedException trace = assertThrows(EgressDeniedException.class,
        () -> proxy.fetch(new FetchRequest(api("/hello"), "TRACE", Map.of(), null), journal, proxy.newBudget()));
    assertEquals("method 'TRACE' is not allowed (one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS)", trace.getMessage());
    EgressDeniedException file = assertThrows(EgressDeniedException.class,
        () -> proxy.fetch(get("file:///etc/passwd"), journal, proxy.newBudget()));
    assertEquals("refused URL: URL must be absolute, with a scheme and a host", file.getMessage());
    EgressDeniedException userinfo = assertThrows(EgressDeniedException.class,
        () -> proxy.fetch(get("http://user:pw@" + API + ":" + server.port() + "/hello"), journal, proxy.newBudget()));
    assertEquals("refused URL: URL contains userinfo ('@' in the authority)", userinfo.getMessage());
    EgressDeniedException traversal = assertThrows(EgressDeniedException.class,
        () -> proxy.fetch(get(api("/a/%2e%2e/hello")), journal, proxy.newBudget()));
    assertEquals("refused URL: path contains a '..' segment", traversal.getMessage());
    assertTrue(server.seen.isEmpty());
    assertEquals(4, journal.denials().size());
  }

  @Test
  void getWithABodyIsRefused() throws Exception {
    EgressProxy proxy = apiProxy(List.of("GET"));
    EgressDeniedException e = assertThrows(EgressDeniedException.class,
        () -> proxy.fetch(new FetchRequest(api("/hello"), "GET", Map.of(), new byte[1]), journal, proxy.newBudget()));
    assertEquals("a GET request cannot have a body", e.getMessage());
  }

  @Test
  void connectionRefusedIsAnErrorNotADenial() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    EgressRuleSpec rule = new EgressRuleSpec(API, List.of("http"), List.of(closedPort), List.of("GET"), List.of(), true, null);
    EgressProxy proxy = EgressProxy.build(net(List.of(rule), Map.of(API, "127.0.0.1"), 20, 1 << 20), new Secrets(Map.of()));
    String url = "http://" + API + ":" + closedPort + "/";
    EgressException e = assertThrows(EgressException.class, () -> proxy.fetch(get(url), journal, proxy.newBudget()));
    assertEquals("GET " + url + " failed: connection refused", e.getMessage());
    assertEquals("error: connection refused", journal.egress().get(0).outcome());
  }

  @Test
  void badConfigurationFailsAtBuildNamingTheProblem() {
    CredentialSpec missing = new CredentialSpec("Authorization", "Bearer ${env:NOPE}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EgressProxy.build(net(List.of(new EgressRuleSpec("a.example", List.of(), List.of(), List.of(), List.of(), false, missing)),
            Map.of(), 1, 1), new Secrets(Map.of())));
    assertEquals("allow rule #1 (host a.example): credential references ${env:NOPE}, which is not set", e.getMessage());
    // ${file:/abs/path} is a credential source now; another kind of reference is still refused.
    assertThrows(IllegalArgumentException.class, () -> new CredentialSpec("Authorization", "Bearer ${vault:/etc/passwd}"));
    CredentialSpec crlf = new CredentialSpec("Authorization", "${env:T}");
    assertThrows(IllegalArgumentException.class,
        () -> EgressProxy.build(net(List.of(new EgressRuleSpec("a.example", List.of(), List.of(), List.of(), List.of(), false, crlf)),
            Map.of(), 1, 1), new Secrets(Map.of("T", "x\r\nInjected: 1"))));
    assertThrows(IllegalArgumentException.class, () -> EgressProxy.build(net(List.of(), Map.of("a.example", "not-an-ip"), 1, 1), new Secrets(Map.of())));
    assertThrows(IllegalArgumentException.class, () -> EgressProxy.build(net(List.of(), Map.of("127.0.0.1", "127.0.0.2"), 1, 1), new Secrets(Map.of())));
    assertThrows(IllegalArgumentException.class, () -> EgressProxy.build(
        new NetPolicy(true, List.of(), List.of(), Map.of(), 1, 1, 1, 0, 0), new Secrets(Map.of())));
    IllegalArgumentException rule = assertThrows(IllegalArgumentException.class, () -> EgressProxy.build(
        net(List.of(new EgressRuleSpec("*.com", List.of(), List.of(), List.of(), List.of(), false, null)), Map.of(), 1, 1), new Secrets(Map.of())));
    assertTrue(rule.getMessage().startsWith("allow rule #1: wildcard host '*.com' is too broad"), rule.getMessage());
  }
}
