package dev.codemode.server.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.BridgeException;
import dev.codemode.runtime.HostBridge;
import dev.codemode.server.egress.EgressBudget;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * One admitted run's bridge, created at admission: it owns the run's tool grant (compiled allowlist and
 * approver), its PII view of tool arguments and its egress budget, and routes each call to the host's
 * shared services. It lives exactly as long as the run: nothing about the run is kept, or cleaned up, elsewhere.
 */
public final class RunBridge implements HostBridge {
  private final NetCapability net;
  private final ToolCapabilities tools;
  private final ToolGrant grant;
  private final UnaryOperator<JsonNode> restoreArgs;
  private final EgressBudget budget;

  RunBridge(NetCapability net, ToolCapabilities tools, ToolGrant grant, UnaryOperator<JsonNode> restoreArgs,
      EgressBudget budget) {
    this.net = net;
    this.tools = tools;
    this.grant = grant;
    this.restoreArgs = restoreArgs;
    this.budget = budget;
  }

  @Override
  public CompletionStage<JsonNode> call(BridgeCall call) {
    try {
      return switch (call.capability()) {
        case "net.fetch" -> net.fetch(call, budget);
        // PII tokens the model saw go back to real values only on their way to a downstream tool.
        case "tool.call" -> tools.call(call.withArgs(restoreArgs.apply(call.args())), grant);
        case "codemode.searchTools" -> tools.search(call, grant);
        case "codemode.describeTool" -> tools.describe(call, grant);
        default -> CompletableFuture.failedFuture(
            new BridgeException("ENOSYS", "unknown capability '" + call.capability() + "'"));
      };
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new BridgeException("EHOST", "the host could not complete " + call.capability()));
    }
  }
}
