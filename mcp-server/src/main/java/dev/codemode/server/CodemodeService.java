package dev.codemode.server;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.Profile;
import dev.codemode.policies.tools.ToolAllowlist;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.RunRejectedException;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.Runner;
import dev.codemode.runtime.SandboxRunner;
import dev.codemode.runtime.worker.Runners;
import dev.codemode.server.admin.Oversight;
import dev.codemode.server.audit.RunCaller;
import dev.codemode.server.bridge.HostCapabilities;
import dev.codemode.server.broker.Broker;
import dev.codemode.server.health.Readiness;
import dev.codemode.server.tool.ExecuteCodeInput;
import dev.codemode.server.tool.ResultRenderer;
import dev.codemode.server.tool.RunProgress;
import dev.codemode.server.tool.ToolDescription;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import dev.codemode.server.approval.ElicitationApprover;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
  private final Broker broker;
  private static final long APPROVAL_TIMEOUT_MS = 60_000;
  private final ExecutorService approvalAsks = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "codemode-approval");
    t.setDaemon(true);
    return t;
  });
  private final Oversight oversight; // audit branch: audit, metrics, PII, artifacts, killswitch, quarantine
  private volatile boolean draining;

  /** Starts the runner and the broker (non-lazy downstream servers are started before this returns). */
  public CodemodeService(CodemodeConfig config) {
    this.config = config;
    Secrets secrets = Secrets.fromEnvironment();
    this.broker = Broker.start(config, secrets);
    // Workers are warmed for the default profile (its heap and engine); another mem_mb gets a worker of its own.
    this.runner = Runners.create(config.runtime(), config.defaultProfile());
    LOG.info("codemode runtime: {}", runner.describe());
    this.bridge = new HostCapabilities(config, secrets, broker);
    this.oversight = new Oversight(config, secrets, runner::cancel, Clock.systemUTC());
    bridge.restoreToolArgsWith(oversight::restoreToolArgs);
    oversight.metrics().walls(runner.walls(), () -> readiness().ready());
  }

  /** Whether this server should get new calls now, and which walls are up (for {@code /readyz}). */
  public Readiness readiness() {
    return new Readiness(runner.warm(), draining, oversight.runs().killswitch().engaged(), runner.walls());
  }

  /** Shutdown has begun: readiness turns false before the transport stops taking calls. */
  public void drainStarted() {
    draining = true;
  }

  /** Audit, metrics, PII tokens, artifacts, killswitch and quarantine around runs. */
  public Oversight oversight() {
    return oversight;
  }

  /** Throw-away runs on the default profile at start-up, and the time they may take at most. */
  private static final int WARM_UP_RUNS = 300;
  private static final long WARM_UP_NANOS = 1_500_000_000L;

  /**
   * In process, warms the runtime in the background as a worker JVM warms itself before it takes runs:
   * one run per profile builds its engine and parses the prelude (seconds on a cold JVM), then a few
   * hundred on the default profile let the JIT start on the interpreter's hot paths, so the first agent
   * calls cost less. Bounded in time; these runs have no bridge and are not audited.
   */
  public void warmUpInBackground() {
    if (!(runner instanceof SandboxRunner)) {
      return; // Worker JVMs warm their own engine before they take runs.
    }
    SandboxRunner inProcess = (SandboxRunner) runner;
    Thread t = new Thread(() -> {
      for (Profile p : config.profiles().values()) {
        inProcess.warmUp(p, 1, 0);
      }
      inProcess.warmUp(config.defaultProfile(), WARM_UP_RUNS, WARM_UP_NANOS);
    }, "codemode-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  public CodemodeConfig config() {
    return config;
  }

  /** The tool description for the configured servers and profiles. */
  public String toolDescription() {
    Map<String, String> summaries = new TreeMap<>(broker.summaries());
    return ToolDescription.text(summaries, String.join(", ", new TreeSet<>(config.profiles().keySet())));
  }

  /** Runs one {@code execute_code} call for the stdio client; never throws. */
  public CallToolResult executeCode(Map<String, Object> arguments) {
    return executeCode(arguments, RunCaller.from("stdio", "stdio", null));
  }

  /** Runs one {@code execute_code} call for {@code caller}; never throws. */
  public CallToolResult executeCode(Map<String, Object> arguments, RunCaller caller) {
    return executeCode(arguments, caller, null);
  }

  /**
   * Runs one {@code execute_code} call for {@code caller}; {@code exchange} (null when there is none) is
   * how a {@code require_approval} tool call asks the client through elicitation. Never throws.
   */
  public CallToolResult executeCode(Map<String, Object> arguments, RunCaller caller, McpSyncServerExchange exchange) {
    return executeCode(arguments, caller, exchange, null);
  }

  /**
   * As {@link #executeCode(Map, RunCaller, McpSyncServerExchange)}; with a {@code progressToken} from the
   * request's {@code _meta} (and an exchange), the client gets progress notifications while the run lasts.
   */
  public CallToolResult executeCode(Map<String, Object> arguments, RunCaller caller, McpSyncServerExchange exchange,
      Object progressToken) {
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
    try {
      ToolAllowlist.effective(profile.tools().allow(), input.allowedTools());
    } catch (IllegalArgumentException e) {
      return ResultRenderer.refused(e.getMessage());
    }
    // The killswitch gate, then the run inside the oversight (audit, metrics, PII, artifacts, quarantine).
    String refusal = oversight.refusal(caller);
    if (refusal != null) {
      return ResultRenderer.refused(refusal);
    }
    RunProgress progress = exchange != null && (progressToken instanceof String || progressToken instanceof Number)
        ? RunProgress.start(bridge, exchange, progressToken) : null;
    try {
      return execute(input, profile, caller, exchange, progress == null ? bridge : progress);
    } finally {
      if (progress != null) {
        progress.close();
      }
    }
  }

  private CallToolResult execute(ExecuteCodeInput input, Profile profile, RunCaller caller,
      McpSyncServerExchange exchange, HostBridge runBridge) {
    RunRequest request = new RunRequest(RunIds.next(), input.code(), profile, input.timeoutMs(), servers(), runBridge,
        input.allowedTools());
    long approvalMs = Math.min(APPROVAL_TIMEOUT_MS, profile.proc().tightenWall(input.timeoutMs()).wallMs());
    bridge.approvals().register(request.runId(),
        ElicitationApprover.of(exchange, approvalAsks, Duration.ofMillis(approvalMs)));
    Oversight.Outcome outcome = oversight.run(caller, request, this::run);
    return outcome == null ? ResultRenderer.busy("every run slot is taken; retry after a few seconds")
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

  /** The live tool catalog as the sandbox names it: server identifier → tool identifier → exact tool name. */
  public Map<String, Map<String, String>> servers() {
    return broker.catalog().sandboxServers();
  }

  /** The host bridge runs use. */
  public HostBridge bridge() {
    return bridge;
  }

  @Override
  public void close() {
    approvalAsks.shutdownNow();
    oversight.close();
    runner.close();
    bridge.close();
    broker.close();
  }
}
