package dev.codemode.server;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.Profile;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.RunRejectedException;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.SandboxRunner;
import dev.codemode.server.admin.Oversight;
import dev.codemode.server.audit.RunCaller;
import dev.codemode.server.bridge.HostCapabilities;
import dev.codemode.server.tool.ExecuteCodeInput;
import dev.codemode.server.tool.ResultRenderer;
import dev.codemode.server.tool.ToolDescription;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The transport-independent core of the server: turns one {@code execute_code} call into a run and its answer. */
public final class CodemodeService implements AutoCloseable {
  private final CodemodeConfig config;
  private final SandboxRunner runner;
  private final HostCapabilities bridge;
  private final Oversight oversight; // audit branch: audit, metrics, PII, artifacts, killswitch, quarantine

  public CodemodeService(CodemodeConfig config) {
    this.config = config;
    this.runner = SandboxRunner.builder()
        .maxConcurrentRuns(config.runtime().maxConcurrentRuns())
        .queueCapacity(config.runtime().queueCapacity())
        .build();
    this.bridge = new HostCapabilities(config, Secrets.fromEnvironment());
    this.oversight = new Oversight(config, Secrets.fromEnvironment(), runner::cancel, Clock.systemUTC());
    bridge.restoreToolArgsWith(oversight::restoreToolArgs);
  }

  /** Audit, metrics, PII tokens, artifacts, killswitch and quarantine around runs. */
  public Oversight oversight() {
    return oversight;
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

  /** Runs one {@code execute_code} call for the stdio client; never throws. */
  public CallToolResult executeCode(Map<String, Object> arguments) {
    return executeCode(arguments, RunCaller.from("stdio", "stdio", null));
  }

  /** Runs one {@code execute_code} call for {@code caller}; never throws. */
  public CallToolResult executeCode(Map<String, Object> arguments, RunCaller caller) {
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
    // audit branch: the killswitch gate, then the run inside the oversight (audit, metrics, PII, artifacts, quarantine)
    String refusal = oversight.refusal(caller);
    if (refusal != null) {
      return ResultRenderer.refused(refusal);
    }
    RunRequest request = new RunRequest(RunIds.next(), input.code(), profile, input.timeoutMs(), Map.of(), bridge);
    Oversight.Outcome outcome = oversight.run(caller, request, this::run);
    return outcome == null ? ResultRenderer.refused("busy: every run slot is taken; retry after a few seconds")
        : ResultRenderer.render(outcome.result(), outcome.artifacts());
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
    oversight.close();
    runner.close();
    bridge.close();
  }
}
