package dev.codemode.server.approval;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Asks the connected MCP client through elicitation: the tool, a short summary of its arguments and the
 * run id. Accept → approved; decline, cancel, an error or no answer within the timeout → refused.
 * A client that did not declare elicitation is refused at once, never left waiting.
 */
public final class ElicitationApprover implements Approver {
  private static final int SUMMARY_CHARS = 400;
  /** Waits for clients' answers; the sync SDK call blocks a thread per open question. */
  private static final ExecutorService ASKS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "codemode-approval");
    t.setDaemon(true);
    return t;
  });
  private final McpSyncServerExchange exchange;
  private final Duration timeout;

  private ElicitationApprover(McpSyncServerExchange exchange, Duration timeout) {
    this.exchange = exchange;
    this.timeout = timeout;
  }

  /** An approver for {@code exchange}: elicitation when the client supports it, else an immediate refusal. */
  public static Approver of(McpSyncServerExchange exchange, Duration timeout) {
    if (exchange == null) {
      return Approver.unavailable("not approved: this transport cannot ask the client for approval");
    }
    McpSchema.ClientCapabilities caps = exchange.getClientCapabilities();
    if (caps == null || caps.elicitation() == null) {
      return Approver.unavailable("not approved: the tool requires approval and the client does not support "
          + "MCP elicitation, so nobody can be asked");
    }
    return new ElicitationApprover(exchange, timeout);
  }

  @Override
  public CompletionStage<Decision> ask(String runId, String tool, JsonNode args) {
    McpSchema.ElicitRequest request = McpSchema.ElicitRequest.builder()
        .message("codemode run " + runId + " wants to call " + tool + " with " + summary(args) + ". Allow it?")
        .requestedSchema(Map.of("type", "object", "properties", Map.of()))
        .build();
    return CompletableFuture.supplyAsync(() -> {
      McpSchema.ElicitResult result = exchange.createElicitation(request);
      if (result != null && result.action() == McpSchema.ElicitResult.Action.ACCEPT) {
        return Decision.approve();
      }
      String action = result == null || result.action() == null ? "no answer" : result.action().name().toLowerCase();
      return Decision.refused("not approved (the client answered: " + action + ")");
    }, ASKS)
        .completeOnTimeout(Decision.refused("not approved (no answer within " + timeout.toSeconds() + " s)"),
            timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> Decision.refused("not approved (the approval request failed)"));
  }

  private static String summary(JsonNode args) {
    String text = args == null ? "{}" : args.toString();
    return text.length() <= SUMMARY_CHARS ? text : text.substring(0, SUMMARY_CHARS) + "…";
  }
}
