package dev.codemode.server.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.HostBridge;
import dev.codemode.server.egress.RunEgress;
import java.util.concurrent.CompletionStage;

/**
 * The bridge of one run: the run's own {@link RunEgress} (budget, queue, requests in flight) in front of
 * the server's shared capabilities. Opened when the run is admitted; {@link #endRun()} (called by the
 * runner before the result is built, and again by {@link #close()}) ends every request of the run.
 */
public final class RunBridge implements HostBridge, AutoCloseable {
  private final HostCapabilities shared;
  private final RunEgress egress;

  RunBridge(HostCapabilities shared, RunEgress egress) {
    this.shared = shared;
    this.egress = egress;
  }

  @Override
  public CompletionStage<JsonNode> call(BridgeCall call) {
    if (call.capability().equals("net.fetch")) {
      return call.hostBudget().charged(() -> NetCapability.fetch(egress, call));
    }
    return shared.call(call);
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
