package dev.codemode.server;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.Profile;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.RunRejectedException;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.Runner;
import dev.codemode.runtime.worker.Runners;
import dev.codemode.server.bridge.HostCapabilities;
import dev.codemode.server.tool.ExecuteCodeInput;
import dev.codemode.server.tool.ResultRenderer;
import dev.codemode.server.tool.ToolDescription;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The transport-independent core of the server: turns one {@code execute_code} call into a run and its answer. */
public final class CodemodeService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CodemodeService.class);
  private final CodemodeConfig config;
  private final Runner runner;
  private final HostCapabilities bridge;

  public CodemodeService(CodemodeConfig config) {
    this.config = config;
    // Workers are warmed for the default profile (its heap and engine); another mem_mb gets a worker of its own.
    this.runner = Runners.create(config.runtime(), config.defaultProfile());
    LOG.info("codemode runtime: {}", runner.describe());
    this.bridge = new HostCapabilities(config, Secrets.fromEnvironment());
  }

  public CodemodeConfig config() {
    return config;
  }

  /** The tool description for the configured servers and profiles. */
  public String toolDescription() {
    Map<String, String> summaries = new TreeMap<>();
    config.servers().forEach((name, spec) -> summaries.put(name, spec.description()));
    return ToolDescription.text(summaries, String.join(", ", new TreeSet<>(config.profiles().keySet())));
  }

  /** Runs one {@code execute_code} call; never throws. */
  public CallToolResult executeCode(Map<String, Object> arguments) {
    ExecuteCodeInput input;
    try {
      input = ExecuteCodeInput.from(arguments);
    } catch (IllegalArgumentException e) {
      return ResultRenderer.refused(e.getMessage());
    }
    String profileName = input.profile() == null ? "default" : input.profile();
    Profile profile = config.profile(profileName).orElse(null);
    if (profile == null) {
      return ResultRenderer.refused("unknown profile '" + profileName + "' (configured: "
          + String.join(", ", new TreeSet<>(config.profiles().keySet())) + ")");
    }
    RunResult result = run(new RunRequest(RunIds.next(), input.code(), profile, input.timeoutMs(), Map.of(), bridge));
    return result == null ? ResultRenderer.refused("busy: every run slot is taken; retry after a few seconds")
        : ResultRenderer.render(result, List.of());
  }

  /** Runs a request directly (used by {@code codemode run}); null when the runner is at capacity. */
  public RunResult run(RunRequest request) {
    try {
      return runner.run(request);
    } catch (RunRejectedException e) {
      return null;
    } finally {
      bridge.runEnded(request.runId());
    }
  }

  /** The host bridge runs use. */
  public HostBridge bridge() {
    return bridge;
  }

  @Override
  public void close() {
    runner.close();
    bridge.close();
  }
}
