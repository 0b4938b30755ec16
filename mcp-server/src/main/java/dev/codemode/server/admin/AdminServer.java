package dev.codemode.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.codemode.server.state.StateUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loopback admin endpoint, bearer-token protected: {@code GET /runs}, {@code POST /runs/<id>/cancel},
 * {@code GET /killswitch}, {@code POST /killswitch/on}, {@code POST /killswitch/off}. Requests with a
 * browser {@code Origin} or a non-loopback {@code Host} are refused (DNS rebinding).
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final RunRegistry runs;
  private final java.util.function.Supplier<String> token;
  private final Clock clock;
  private final java.util.function.BiConsumer<String, Map<String, Object>> audit;

  private AdminServer(HttpServer server, RunRegistry runs, java.util.function.Supplier<String> token, Clock clock,
      java.util.function.BiConsumer<String, Map<String, Object>> audit) {
    this.server = server;
    this.runs = runs;
    this.token = token;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * Starts the endpoint on {@code host:port} (a loopback address); {@code token} must be non-blank;
   * {@code audit} receives every operator action (type and fields).
   */
  public static AdminServer start(String host, int port, String token, RunRegistry runs, Clock clock,
      java.util.function.BiConsumer<String, Map<String, Object>> audit) throws IOException {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the admin endpoint needs a token");
    }
    return start(host, port, () -> token, runs, clock, audit);
  }

  /** As above, the token read again for every request (from a rotating credential source). */
  public static AdminServer start(String host, int port, java.util.function.Supplier<String> token, RunRegistry runs,
      Clock clock, java.util.function.BiConsumer<String, Map<String, Object>> audit) throws IOException {
    InetAddress address = InetAddress.getByName(host);
    if (!address.isLoopbackAddress()) {
      throw new IllegalArgumentException("the admin endpoint binds a loopback address only, got " + host);
    }
    String first = token.get();
    if (first == null || first.isBlank()) {
      throw new IllegalArgumentException("the admin endpoint needs a token");
    }
    HttpServer http = HttpServer.create(new InetSocketAddress(address, port), 16);
    AdminServer admin = new AdminServer(http, runs, token, clock, audit);
    http.createContext("/", admin::handle);
    http.start();
    LOG.info("admin endpoint on http://{}:{}/ (bearer token required)", address.getHostAddress(), http.getAddress().getPort());
    return admin;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (ex.getRequestHeaders().containsKey("Origin") || !loopbackHost(ex.getRequestHeaders().getFirst("Host"))) {
        answer(ex, 403, Map.of("error", "forbidden"));
        return;
      }
      if (!authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
        audit.accept("admin_unauthorized", Map.of("event.outcome", "failure", "http.request.method", ex.getRequestMethod(),
            "url.path", ex.getRequestURI().getPath()));
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"codemode-admin\"");
        answer(ex, 401, Map.of("error", "a valid bearer token is required"));
        return;
      }
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      if (method.equals("GET") && path.equals("/runs")) {
        answer(ex, 200, Map.of("runs", runs.active().stream().map(this::describe).toList(), "killswitch", state()));
      } else if (method.equals("POST") && path.startsWith("/runs/") && path.endsWith("/cancel")) {
        String runId = path.substring("/runs/".length(), path.length() - "/cancel".length());
        boolean found = runs.cancel(runId);
        LOG.warn("admin: cancel run {} ({})", runId, found ? "cancelling" : "not running");
        audit.accept("admin_cancel", Map.of("event.outcome", found ? "success" : "failure", "codemode.run_id", runId));
        answer(ex, found ? 200 : 404, Map.of("run_id", runId, "cancelled", found));
      } else if (method.equals("GET") && path.equals("/killswitch")) {
        answer(ex, 200, state());
      } else if (method.equals("POST") && (path.equals("/killswitch/on") || path.equals("/killswitch/off"))) {
        boolean on = path.endsWith("/on");
        int running = runs.active().size();
        try {
          runs.killswitch(on, "admin");
        } catch (StateUnavailableException e) {
          // On still holds on this replica (fail closed); off is not taken until every replica can hear it.
          LOG.error("admin: killswitch {} not shared: {}", on ? "ON" : "off", e.getMessage());
          audit.accept("admin_killswitch", Map.of("event.outcome", "failure",
              "codemode.killswitch_engaged", runs.killswitch().engaged(), "codemode.runs_in_flight", running,
              "codemode.reason", "state_backend_down"));
          Map<String, Object> body = new LinkedHashMap<>(state());
          body.put("error", "the state backend is down: the other replicas did not hear this");
          answer(ex, 503, body);
          return;
        }
        LOG.warn("admin: killswitch {} ({} run(s) in flight)", on ? "ON" : "off", running);
        audit.accept("admin_killswitch", Map.of("event.outcome", "success", "codemode.killswitch_engaged", on,
            "codemode.runs_in_flight", running));
        Map<String, Object> body = new LinkedHashMap<>(state());
        body.put("runs_cancelled", on ? running : 0);
        answer(ex, 200, body);
      } else {
        answer(ex, 404, Map.of("error", "no such admin operation"));
      }
    }
  }

  private Map<String, Object> state() {
    Killswitch k = runs.killswitch();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("engaged", k.engaged());
    m.put("since", k.engaged() ? Instant.ofEpochMilli(k.sinceMs()).toString() : null);
    return m;
  }

  private Map<String, Object> describe(ActiveRun r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", r.identity().runId());
    m.put("task_id", r.identity().taskId());
    m.put("principal", r.identity().principal());
    m.put("profile", r.identity().profile());
    m.put("started_at", Instant.ofEpochMilli(r.startedAtMs()).toString());
    m.put("elapsed_ms", clock.millis() - r.startedAtMs());
    return m;
  }

  private boolean authorized(String header) {
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    String expected;
    try {
      expected = token.get();
    } catch (RuntimeException unavailable) {
      return false; // fail closed; the reason is the operator's to find (the source), not the caller's
    }
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
  }

  private static boolean loopbackHost(String host) {
    if (host == null) {
      return false;
    }
    String h = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.replaceFirst(":\\d+$", "");
    return List.of("127.0.0.1", "localhost", "[::1]").contains(h);
  }

  private static void answer(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
