package dev.codemode.server;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.Profile;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.RunRejectedException;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.SandboxRunner;
import dev.codemode.runtime.worker.Runners;
import dev.codemode.runtime.worker.StartingRunner;
import dev.codemode.server.approval.Approver;
import dev.codemode.server.audit.RunCaller;
import dev.codemode.server.bridge.HostCapabilities;
import dev.codemode.server.bridge.RunBridge;
import dev.codemode.server.bridge.ToolGrant;
import dev.codemode.server.broker.Broker;
import dev.codemode.server.health.Readiness;
import dev.codemode.server.run.Oversight;
import dev.codemode.server.tool.ExecuteCodeInput;
import dev.codemode.server.tool.ToolDescription;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root, and the transport-independent core: {@link #start} builds everything a server has,
 * in one order whichever transport serves it (broker, runner, host capabilities, oversight with audit,
 * metrics, PII, artifacts, quarantine, killswitch, and its loopback metrics and admin endpoints), and
 * {@link #close()} stops them in the reverse order; {@code executeCode} turns one call into a run and its answer.
 */
public final class CodemodeService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CodemodeService.class);
  private final CodemodeConfig config;
  private final StartingRunner runner;
  private final HostCapabilities host;
  private final Broker broker;
  private static final long APPROVAL_TIMEOUT_MS = 60_000;
  private final Oversight oversight;
  private volatile boolean draining;

  /**
   * Starts the runner and the broker (non-lazy downstream servers are started before this returns). The
   * walls around runs may still be being found when this returns (see {@link Runners#start}): runs wait for them.
   */
  public CodemodeService(CodemodeConfig config) {
    this.config = config;
    Secrets secrets = Secrets.fromEnvironment(config);
    this.broker = Broker.start(config, secrets);
    // Workers are warmed for the default profile (its heap and engine); another mem_mb gets a worker of its own.
    this.runner = Runners.start(config.runtime(), config.defaultProfile());
    runner.started().thenAccept(r -> LOG.info("codemode runtime: {}", r.describe()));
    this.host = new HostCapabilities(config, secrets, broker);
    this.oversight = new Oversight(config, secrets, runner::cancel, Clock.systemUTC());
    oversight.metrics().watchRunner(() -> runner.activeRunIds().size());
    oversight.metrics().ready(() -> readiness().ready());
    runner.started().thenAccept(r -> oversight.metrics().walls(r.walls()));
  }

  /** Starts every part of a server; {@code metricsAddress} ({@code HOST:PORT} on loopback) is null for no metrics endpoint. */
  public static CodemodeService start(CodemodeConfig config, String metricsAddress) throws IOException {
    CodemodeService service = new CodemodeService(config);
    try {
      service.oversight.startEndpoints(metricsAddress);
    } catch (IOException | RuntimeException e) {
      service.close();
      throw e;
    }
    service.warmUpInBackground();
    return service;
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
  private void warmUpInBackground() {
    runner.started().thenAccept(r -> {
      if (r instanceof SandboxRunner inProcess) {
        warmUp(inProcess);
      } // Worker JVMs warm their own engine before they take runs.
    });
  }

  private void warmUp(SandboxRunner inProcess) {
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

  /**
   * Runs one {@code execute_code} call for {@code caller}; {@code approvers} gives who a {@code require_approval}
   * tool call asks, answering within a timeout. Never throws.
   */
  public RunAnswer executeCode(Map<String, Object> arguments, RunCaller caller, Function<Duration, Approver> approvers) {
    return executeCode(arguments, caller, approvers, UnaryOperator.identity());
  }

  /**
   * As {@link #executeCode(Map, RunCaller, Function)}; {@code observe} wraps the run's bridge (progress
   * notifications count its calls) and must pass {@link HostBridge#endRun()} through.
   */
  public RunAnswer executeCode(Map<String, Object> arguments, RunCaller caller, Function<Duration, Approver> approvers,
      UnaryOperator<HostBridge> observe) {
    ExecuteCodeInput input;
    try {
      input = ExecuteCodeInput.from(arguments);
    } catch (IllegalArgumentException e) {
      return new RunAnswer.Refused(e.getMessage());
    }
    String profileName = input.profile() == null ? "default" : input.profile();
    Profile profile = config.profile(profileName).orElse(null);
    if (profile == null) {
      return new RunAnswer.Refused("unknown profile '" + profileName + "' (configured: "
          + String.join(", ", new TreeSet<>(config.profiles().keySet())) + ")");
    }
    long approvalMs = Math.min(APPROVAL_TIMEOUT_MS, profile.proc().tightenWall(input.timeoutMs()).wallMs());
    ToolGrant grant;
    try {
      grant = ToolGrant.of(profile, input.allowedTools(),
          oversight.tracing().traced(approvers.apply(Duration.ofMillis(approvalMs))));
    } catch (IllegalArgumentException e) {
      return new RunAnswer.Refused(e.getMessage());
    }
    // The killswitch gate, then the run inside the oversight (audit, metrics, PII, artifacts, quarantine).
    String refusal = oversight.refusal(caller);
    return refusal != null ? new RunAnswer.Refused(refusal)
        : run(caller, input.code(), profile, input.timeoutMs(), grant, observe);
  }

  /**
   * Admits one run of {@code code} for {@code caller} (also {@code codemode run}'s way in): the run gets its
   * own bridge (its grant, its PII view of tool arguments, its own egress) and runs inside the oversight.
   * The runner ends the run's bridge before it builds the result; closing it here covers a run it never started.
   */
  public RunAnswer run(RunCaller caller, String code, Profile profile, Long timeoutMs, ToolGrant grant) {
    return run(caller, code, profile, timeoutMs, grant, UnaryOperator.identity());
  }

  private RunAnswer run(RunCaller caller, String code, Profile profile, Long timeoutMs, ToolGrant grant,
      UnaryOperator<HostBridge> observe) {
    try (RunBridge bridge = host.forRun(profile, grant, oversight.toolArgs(caller, profile, code))) {
      RunRequest admitted = new RunRequest(RunIds.next(), code, profile, timeoutMs, servers(), observe.apply(bridge));
      return oversight.run(caller, admitted, request -> {
        try {
          return runner.run(request);
        } catch (RunRejectedException e) {
          return null;
        } finally {
          request.bridge().endRun();
        }
      });
    }
  }

  /** The live tool catalog as the sandbox names it: server identifier → tool identifier → exact tool name. */
  public Map<String, Map<String, String>> servers() {
    return broker.catalog().sandboxServers();
  }

  @Override
  public void close() {
    oversight.close();
    runner.close();
    host.close();
    broker.close();
  }
}
