package dev.codemode.server.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.Profile;
import dev.codemode.server.Secrets;
import dev.codemode.server.broker.Broker;
import java.util.function.UnaryOperator;

/**
 * The host's shared services behind every run's bridge: one egress proxy per profile, the egress threads
 * and the downstream tools. Each capability checks the run's policy here, outside the sandbox, and records
 * what it allowed or denied in the run's journal; what belongs to one run lives in its {@link RunBridge}.
 */
public final class HostCapabilities implements AutoCloseable {
  private final NetCapability net;
  private final ToolCapabilities tools;

  public HostCapabilities(CodemodeConfig config, Secrets secrets, Broker broker) {
    this.net = new NetCapability(config.profiles().values(), secrets);
    this.tools = new ToolCapabilities(broker);
  }

  /** The bridge of one admitted run under {@code profile}: its grant, its PII restore, its own egress. */
  public RunBridge forRun(Profile profile, ToolGrant grant, UnaryOperator<JsonNode> restoreArgs) {
    return new RunBridge(tools, grant, restoreArgs, net.openRun(profile));
  }

  @Override
  public void close() {
    net.close();
  }
}
