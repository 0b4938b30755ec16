package dev.codemode.server.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.HttpSettings.RateLimit;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.server.CodemodeService;
import dev.codemode.server.admission.AdmissionGate;
import dev.codemode.server.admission.RateLimiter;
import dev.codemode.server.auth.Principal;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpToolHandlerTest {
  private static CodemodeService service;

  @BeforeAll
  static void start() {
    service = new CodemodeService(ConfigLoader.loadDefault());
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  private static McpTransportContext as(Principal p) {
    return McpTransportContext.create(Map.of(Principal.CONTEXT_KEY, p));
  }

  private static String text(CallToolResult r) {
    return ((TextContent) r.content().get(0)).text();
  }

  @Test
  void withoutAPrincipalNothingRuns() {
    HttpToolHandler h = new HttpToolHandler(service, new AdmissionGate(1, 0), new RateLimiter(new RateLimit(0, 1)));
    CallToolResult r = h.call(McpTransportContext.EMPTY, Map.of("code", "return 1"), null, null, null);
    assertTrue(r.isError());
    assertTrue(text(r).contains("no authenticated principal"), text(r));
    assertTrue(h.call(null, Map.of("code", "return 1"), null, null, null).isError());
  }

  @Test
  void profileGrantRateLimitAndGateComeBeforeTheRun() {
    AdmissionGate gate = new AdmissionGate(1, 0);
    HttpToolHandler h = new HttpToolHandler(service, gate, new RateLimiter(new RateLimit(1, 2)));
    Principal alice = new Principal("alice", Set.of("default"), "token");
    CallToolResult denied = h.call(as(alice), Map.of("code", "return 1", "profile", "research"), null, null, null);
    assertTrue(denied.isError());
    assertTrue(text(denied).startsWith("not run: denied: principal 'alice' may not use profile 'research'"), text(denied));
    CallToolResult ok = h.call(as(alice), Map.of("code", "return 1+1"), null, null, null);
    assertFalse(ok.isError(), text(ok));
    AdmissionGate.Ticket held = gate.tryEnter();
    CallToolResult busy = h.call(as(alice), Map.of("code", "return 1"), null, null, null);
    assertTrue(text(busy).matches("not run: busy: .* retry after \\d+ s"), text(busy));
    held.close();
    CallToolResult limited = h.call(as(alice), Map.of("code", "return 1"), null, null, null);
    assertTrue(text(limited).contains("rate limited") && text(limited).contains("retry after"), text(limited));
    assertEquals(0, gate.inFlight());
  }
}
