package dev.codemode.server.transport.http;

import dev.codemode.server.CodemodeService;
import dev.codemode.server.RunAnswer;
import dev.codemode.server.admission.AdmissionGate;
import dev.codemode.server.admission.RateLimiter;
import dev.codemode.server.audit.LogText;
import dev.codemode.server.approval.ElicitationApprover;
import dev.codemode.server.audit.RunCaller;
import dev.codemode.server.auth.Principal;
import dev.codemode.server.tool.ExecuteCodeTool;
import dev.codemode.server.tool.RunProgress;
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
    return ExecuteCodeTool.answer(service, () -> admit(context, arguments == null ? Map.of() : arguments, meta, sessionId, exchange));
  }

  private RunAnswer admit(McpTransportContext context, Map<String, Object> args, Map<String, Object> meta,
      String sessionId, McpSyncServerExchange exchange) {
    Principal principal = principal(context);
    if (principal == null) {
      return new RunAnswer.Refused("no authenticated principal on this request");
    }
    String profile = args.get("profile") instanceof String s ? s : "default";
    if (!principal.mayUse(profile)) {
      LOG.info("denied profile '{}' to principal '{}'", LogText.escape(profile), principal.name());
      return new RunAnswer.Refused("denied: principal '" + principal.name() + "' may not use profile '" + profile
          + "' (allowed: " + principal.describeProfiles() + ")");
    }
    OptionalLong wait = limiter.tryAcquire(principal.name());
    if (wait.isPresent()) {
      return new RunAnswer.Refused("rate limited: principal '" + principal.name() + "' may start "
          + format(limiter.limit().perMinute()) + " calls a minute (bursts of " + limiter.limit().burst()
          + "); retry after " + wait.getAsLong() + " s");
    }
    AdmissionGate.Ticket ticket = gate.tryEnter();
    if (ticket == null) {
      return busy();
    }
    try (ticket; RunProgress progress = RunProgress.forRequest(exchange, meta)) {
      RunCaller caller = RunCaller.from(principal.name(), session(principal, sessionId), meta)
          .withTraceparentHeader(context.get(McpEndpoint.TRACEPARENT) instanceof String tp ? tp : null);
      RunAnswer answer = service.executeCode(args, caller, timeout -> ElicitationApprover.of(exchange, timeout),
          progress::watch);
      // The runner can still refuse in a narrow race (a slot not yet handed back, a warm-up run): say when to retry.
      return answer instanceof RunAnswer.Busy ? busy() : answer;
    }
  }

  /** The authenticated principal the auth filter put in {@code context}, or null. */
  static Principal principal(McpTransportContext context) {
    return context != null && context.get(Principal.CONTEXT_KEY) instanceof Principal p ? p : null;
  }

  /** PII tokens and artifacts belong to the principal; a session id narrows tokens to one connection. */
  static String session(Principal principal, String sessionId) {
    return principal.name() + (sessionId == null ? "" : "/" + sessionId);
  }

  private RunAnswer busy() {
    return new RunAnswer.Busy("every run slot and queue place is taken (" + gate.capacity() + ")", gate.retryAfterSeconds());
  }

  private static String format(double perMinute) {
    return perMinute == Math.rint(perMinute) ? String.valueOf((long) perMinute) : String.valueOf(perMinute);
  }
}
