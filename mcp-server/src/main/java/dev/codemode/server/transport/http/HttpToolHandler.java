package dev.codemode.server.transport.http;

import dev.codemode.server.CodemodeService;
import dev.codemode.server.admission.AdmissionGate;
import dev.codemode.server.admission.RateLimiter;
import dev.codemode.server.audit.RunCaller;
import dev.codemode.server.auth.Principal;
import dev.codemode.server.tool.ResultRenderer;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code execute_code} over HTTP: the principal from the transport context, its profile permission,
 * its rate limit and the admission gate come first; only then does the call reach the service. Every
 * refusal is an immediate, readable answer; nothing here blocks waiting for capacity.
 */
public final class HttpToolHandler {
  private static final Logger LOG = LoggerFactory.getLogger(HttpToolHandler.class);
  private final CodemodeService service;
  private final AdmissionGate gate;
  private final RateLimiter limiter;

  public HttpToolHandler(CodemodeService service, AdmissionGate gate, RateLimiter limiter) {
    this.service = service;
    this.gate = gate;
    this.limiter = limiter;
  }

  /**
   * Handles one call; never throws. {@code sessionId} and {@code exchange} (for approvals through
   * elicitation) are null in stateless mode.
   */
  public CallToolResult call(McpTransportContext context, Map<String, Object> arguments, Map<String, Object> meta,
      String sessionId, McpSyncServerExchange exchange) {
    try {
      Object p = context == null ? null : context.get(Principal.CONTEXT_KEY);
      if (!(p instanceof Principal principal)) {
        return ResultRenderer.refused("no authenticated principal on this request");
      }
      Map<String, Object> args = arguments == null ? Map.of() : arguments;
      String profile = args.get("profile") instanceof String s ? s : "default";
      if (!principal.mayUse(profile)) {
        LOG.info("denied profile '{}' to principal '{}'", profile, principal.name());
        return ResultRenderer.refused("denied: principal '" + principal.name() + "' may not use profile '" + profile
            + "' (allowed: " + principal.describeProfiles() + ")");
      }
      OptionalLong wait = limiter.tryAcquire(principal.name());
      if (wait.isPresent()) {
        return ResultRenderer.refused("rate limited: principal '" + principal.name() + "' may start "
            + format(limiter.limit().perMinute()) + " calls a minute (bursts of " + limiter.limit().burst()
            + "); retry after " + wait.getAsLong() + " s");
      }
      AdmissionGate.Ticket ticket = gate.tryEnter();
      if (ticket == null) {
        return busy();
      }
      try (ticket) {
        // PII tokens and artifacts belong to the principal; a session id narrows tokens to one connection.
        String session = principal.name() + (sessionId == null ? "" : "/" + sessionId);
        CallToolResult result = service.executeCode(args, RunCaller.from(principal.name(), session, meta), exchange,
            meta == null ? null : meta.get("progressToken"));
        // The runner can still refuse in a narrow race (a slot not yet handed back, a warm-up run): say when to retry.
        if (ResultRenderer.isBusy(result)) {
          return busy();
        }
        return result;
      }
    } catch (Throwable t) {
      LOG.error("execute_code failed unexpectedly", t);
      return ResultRenderer.refused("internal error in the server; the run did not complete");
    }
  }

  private CallToolResult busy() {
    return ResultRenderer.busy("every run slot and queue place is taken (" + gate.capacity()
        + "); retry after " + gate.retryAfterSeconds() + " s");
  }

  private static String format(double perMinute) {
    return perMinute == Math.rint(perMinute) ? String.valueOf((long) perMinute) : String.valueOf(perMinute);
  }
}
