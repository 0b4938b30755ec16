package dev.codemode.server.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.Profile;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.BridgeException;
import dev.codemode.runtime.HostBridge;
import dev.codemode.server.approval.ApprovalRegistry;
import dev.codemode.server.broker.Broker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The host's answer to every capability the guest asks for, routed by name. Each capability checks
 * the run's policy here, outside the sandbox, and records what it allowed or denied in the run's journal.
 */
public final class HostCapabilities implements HostBridge, AutoCloseable {
  private final ApprovalRegistry approvals = new ApprovalRegistry();
  private final NetCapability net;
  private final ToolCapabilities tools;
  private volatile java.util.function.UnaryOperator<BridgeCall> toolArgs = c -> c; // audit branch: PII restore

  /** Who may approve each run's {@code require_approval} tool calls. */
  public ApprovalRegistry approvals() {
    return approvals;
  }

  public HostCapabilities(CodemodeConfig config, dev.codemode.server.Secrets secrets, Broker broker) {
    this.net = new NetCapability(config.profiles().values(), secrets);
    this.tools = new ToolCapabilities(broker, approvals);
  }

  /** The bridge of one run: its own egress in front of these shared capabilities. Close it when the run ends. */
  public RunBridge openRun(Profile profile) {
    return new RunBridge(this, net.openRun(profile));
  }

  /** The host's work for a call (argument checks, PII restore, search) is charged to the run's host budget. */
  @Override
  public CompletionStage<JsonNode> call(BridgeCall call) {
    return call.hostBudget().charged(() -> dispatch(call));
  }

  private CompletionStage<JsonNode> dispatch(BridgeCall call) {
    try {
      return switch (call.capability()) {
        case "net.fetch" -> CompletableFuture.failedFuture(
            new BridgeException("EHOST", "fetch is served only through a run's own bridge"));
        case "tool.call" -> tools.call(toolArgs.apply(call)); // audit branch: PII tokens back to real values
        case "codemode.searchTools" -> tools.search(call);
        case "codemode.describeTool" -> tools.describe(call);
        default -> CompletableFuture.failedFuture(
            new BridgeException("ENOSYS", "unknown capability '" + call.capability() + "'"));
      };
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new BridgeException("EHOST", "the host could not complete " + call.capability()));
    }
  }

  /** Sets what rewrites {@code tool.call} arguments before dispatch (PII tokens back to real values). */
  public void restoreToolArgsWith(java.util.function.UnaryOperator<BridgeCall> restore) {
    this.toolArgs = restore;
  }

  /** Releases what a finished run held (its approver). */
  public void runEnded(String runId) {
    approvals.runEnded(runId);
  }

  @Override
  public void close() {
    net.close();
  }
}
