package dev.codemode.server.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.BridgeException;
import dev.codemode.runtime.HostBridge;
import dev.codemode.server.egress.RunEgress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * One admitted run's bridge, created at admission: it owns the run's tool grant (compiled allowlist and
 * approver), its PII view of tool arguments and its own {@link RunEgress} (budget, queue, requests in flight),
 * and routes each call to the host's shared services. It lives exactly as long as the run: {@link #endRun()}
 * (called by the runner before the answer is built, and again by {@link #close()}) ends every request of the run.
 */
public final class RunBridge implements HostBridge, AutoCloseable {
  private final ToolCapabilities tools;
  private final ToolGrant grant;
  private final UnaryOperator<JsonNode> restoreArgs;
  private final RunEgress egress;

  RunBridge(ToolCapabilities tools, ToolGrant grant, UnaryOperator<JsonNode> restoreArgs, RunEgress egress) {
    this.tools = tools;
    this.grant = grant;
    this.restoreArgs = restoreArgs;
    this.egress = egress;
  }

  /** The host's work for a call (argument checks, PII restore, search) is charged to the run's host budget. */
  @Override
  public CompletionStage<JsonNode> call(BridgeCall call) {
    return call.hostBudget().charged(() -> dispatch(call));
  }

  private CompletionStage<JsonNode> dispatch(BridgeCall call) {
    try {
      return switch (call.capability()) {
        case "net.fetch" -> NetCapability.fetch(egress, call);
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

  @Override
  public void endRun() {
    if (egress != null) {
      egress.close();
    }
  }

  @Override
  public void close() {
    endRun();
  }
}
