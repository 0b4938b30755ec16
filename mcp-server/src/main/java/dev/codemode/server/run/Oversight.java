package dev.codemode.server.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.Profile;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.server.RunAnswer;
import dev.codemode.server.admin.AdminServer;
import dev.codemode.server.admin.Killswitch;
import dev.codemode.server.admin.RunRegistry;
import dev.codemode.server.artifacts.ArtifactResources;
import dev.codemode.server.artifacts.ArtifactStore;
import dev.codemode.server.artifacts.StoredArtifact;
import dev.codemode.server.audit.AuditLog;
import dev.codemode.server.audit.AuditSink;
import dev.codemode.server.audit.CodeFingerprint;
import dev.codemode.server.audit.PolicySnapshot;
import dev.codemode.server.audit.RunAudit;
import dev.codemode.server.audit.RunCaller;
import dev.codemode.server.audit.RunIdentity;
import dev.codemode.server.audit.SecretScrubber;
import dev.codemode.server.metrics.CodemodeMetrics;
import dev.codemode.server.metrics.MetricsEndpoint;
import dev.codemode.server.pii.PiiRedaction;
import dev.codemode.server.pii.PiiTokenizer;
import dev.codemode.server.pii.PiiVault;
import dev.codemode.server.quarantine.QuarantineStore;
import dev.codemode.server.quarantine.QuarantineTriggers;
import dev.codemode.server.telemetry.RunTrace;
import dev.codemode.server.telemetry.Tracing;
import dev.codemode.policies.ops.StateSettings;
import dev.codemode.server.blob.BlobStores;
import dev.codemode.server.state.SharedState;
import dev.codemode.server.state.SharedStates;
import java.io.IOException;
import java.time.Duration;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import dev.codemode.server.Secrets;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything around a run that makes it auditable and stoppable: the killswitch gate, run identity, the
 * audit trail, traces, metrics, PII tokens, artifacts and quarantine. Transport-independent; one per server.
 */
public final class Oversight implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Oversight.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long BUSY_RETRY_SECONDS = 2;
  private final CodemodeConfig config;
  private final Secrets secrets;
  private final SecretScrubber scrubber;
  private final AuditLog audit;
  private final CodemodeMetrics metrics;
  private final PiiVault pii;
  private final ArtifactStore artifacts;
  private final BlobStores blobs;
  private final QuarantineStore quarantine;
  private final QuarantineTriggers triggers;
  private final List<Predicate<dev.codemode.runtime.Denial>> watchedDenials;
  private final RunRegistry runs;
  private final SharedState state;
  private volatile AdminServer admin;
  private volatile MetricsEndpoint metricsEndpoint;
  private final Map<String, PolicySnapshot> snapshots = new ConcurrentHashMap<>();
  private final Tracing tracing;

  /** {@code cancel} stops a run by id in the runner and says whether it had it. */
  public Oversight(CodemodeConfig config, Secrets secrets, Predicate<String> cancel, Clock clock) {
    this.config = config;
    this.secrets = secrets;
    this.scrubber = SecretScrubber.forConfig(config, secrets);
    this.audit = new AuditLog(AuditSink.configure(config.ops().audit()), scrubber, RANDOM::nextDouble);
    this.metrics = new CodemodeMetrics(config.servers().keySet());
    this.state = SharedStates.open(config, secrets);
    LOG.info("shared state: {}", state.describe());
    this.pii = new PiiVault(config.ops().pii(), clock, state);
    this.blobs = BlobStores.open(config.ops());
    this.artifacts = new ArtifactStore(config.ops().artifacts(), blobs.artifacts(), clock);
    LOG.info("artifacts kept in {}", blobs.artifacts().describe());
    this.quarantine = new QuarantineStore(config.ops().quarantine(), clock);
    this.triggers = new QuarantineTriggers(config.ops().quarantine().triggers());
    this.watchedDenials = triggers.watchedDenials();
    Duration poll = config.ops().state() instanceof StateSettings.Redis r ? r.poll() : Duration.ZERO;
    this.runs = new RunRegistry(cancel, clock, state, poll);
    this.tracing = Tracing.of(config.ops().telemetry());
    metrics.watchKillswitch(() -> runs.killswitch().engaged());
    metrics.watchStateBackend(state::up);
  }

  /** Why a new run is refused now (the killswitch), or null when runs are admitted. */
  public String refusal() {
    Killswitch k = runs.killswitch();
    return k.engaged() ? k.refusal() : null;
  }

  /** As {@link #refusal()}, and a refusal is an audit event naming {@code caller}. */
  public String refusal(RunCaller caller) {
    String why = refusal();
    if (why != null) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("event.outcome", "failure");
      f.put("user.name", caller.principal());
      f.put("codemode.session_id", caller.sessionId());
      f.put("codemode.task_id", caller.taskId());
      f.put("codemode.reason", "killswitch");
      audit.event("run_refused", f);
    }
    return why;
  }

  /** Runs {@code request} for {@code caller} through {@code runner} (which answers null when it is busy). */
  public RunAnswer run(RunCaller caller, RunRequest request, Function<RunRequest, RunResult> runner) {
    Profile profile = request.profile();
    String runId = request.runId();
    RunIdentity id = new RunIdentity(runId, caller.taskId(), caller.principal(), caller.sessionId(), profile.name());
    PiiTokenizer tokens = pii.session(caller.sessionId());
    boolean redact = profile.logging().redactPii();
    UnaryOperator<String> piiText = redact ? tokens::tokenize : UnaryOperator.identity();
    PolicySnapshot policy = snapshots.computeIfAbsent(profile.name(), n -> PolicySnapshot.of(profile));
    RunAudit trail = audit.begin(id, policy, CodeFingerprint.of(request.code()), profile.logging().sampleRatio(), piiText);
    RunTrace trace = tracing.run(id, caller.traceparent(), text -> piiText.apply(scrubber.scrub(text)));
    trail.traced(trace.traceId(), trace.spanId());
    runs.started(id, caller.requestKey());
    metrics.runStarted(profile.name());
    trail.started(request.timeoutMs());
    HostBridge inner = request.bridge();
    HostBridge audited = new HostBridge() {
      @Override
      public CompletionStage<JsonNode> call(BridgeCall call) {
        RunTrace.Step step = trace.step(call);
        CompletionStage<JsonNode> stage;
        try (RunTrace.Scope scope = step.enter()) {
          stage = inner.call(call);
        }
        return stage.whenComplete((value, error) -> {
          try {
            step.end(value, error);
            metrics.resultReachedSandbox(call.capability(), value);
            trail.progress(call.journal());
          } catch (RuntimeException e) {
            LOG.error("run {}: audit progress failed: {}", runId, e.toString());
          }
        });
      }

      @Override
      public void endRun() {
        inner.endRun();
      }

      @Override
      public void consoleWritten(long bytes) {
        inner.consoleWritten(bytes);
      }
    };
    RunRequest observed = request.withBridge(audited).withWatchedDenials(watchedDenials);
    RunResult r = null;
    try {
      r = runner.apply(observed);
    } finally {
      runs.ended(runId);
      metrics.runFinished(profile.name(), r);
      trace.end(r);
    }
    if (r == null) {
      trail.refused("busy: every run slot is taken");
      return new RunAnswer.Busy("every run slot is taken", BUSY_RETRY_SECONDS);
    }
    List<StoredArtifact> stored = artifacts.persist(runId, caller.principal(), redact, r.files());
    List<String> tripped = triggers.tripped(r);
    trail.finished(r, stored.size(), tripped);
    if (!tripped.isEmpty()) {
      quarantine(id, tripped, r, request.code(), trail, policy, piiText);
    }
    return new RunAnswer.Ran(redact ? PiiRedaction.apply(r, tokens) : r, stored);
  }

  /**
   * How a run of {@code caller} under {@code profile} turns PII tokens in tool arguments back into real
   * values: only the tokens {@code code} holds literally; a token the run built while running stays a token.
   */
  public UnaryOperator<JsonNode> toolArgs(RunCaller caller, Profile profile, String code) {
    if (!profile.logging().redactPii()) {
      return UnaryOperator.identity();
    }
    PiiTokenizer session = pii.session(caller.sessionId());
    Set<String> written = session.writtenIn(code);
    return args -> session.restore(args, written);
  }

  /** A transport saw the client cancel request {@code requestKey} of {@code sessionId}. */
  public void cancelRequest(String sessionId, String requestKey) {
    runs.cancelRequest(sessionId, requestKey)
        .ifPresent(runId -> LOG.info("client cancelled request {}: cancelling run {}", requestKey, runId));
  }

  /**
   * The client ended session {@code sessionId}: its runs still in flight are cancelled (nobody is left to take
   * their answers) and the PII values its runs saw are forgotten now, not at the TTL.
   */
  public void sessionEnded(String sessionId) {
    List<String> cancelled = runs.cancelSession(sessionId);
    if (!cancelled.isEmpty()) {
      LOG.info("client ended its session: cancelling runs {}", cancelled);
    }
    pii.endSession(sessionId);
  }

  /** The artifacts {@code principal} may read, text tokenized as session {@code sessionId} sees it. */
  public ArtifactResources artifactResources(String principal, String sessionId) {
    return new ArtifactResources(artifacts, principal, text -> pii.session(sessionId).tokenize(text));
  }

  /** Starts the loopback metrics endpoint ({@code metricsAddress}, null for none) and, if configured, the admin endpoint. */
  public void startEndpoints(String metricsAddress) throws IOException {
    metricsEndpoint = metricsAddress == null ? null : MetricsEndpoint.start(metricsAddress, metrics::scrape);
    if (config.ops().admin().enabled()) {
      // Read for every request, so a token rotated in its file is in force at once.
      dev.codemode.policies.secrets.SecretTemplate token = dev.codemode.policies.secrets.SecretTemplate.parse(
          config.ops().admin().token(), config.credentials());
      secrets.requireAvailable(token);
      String host = config.ops().admin().host();
      int port = config.ops().admin().port();
      try {
        admin = AdminServer.start(host, port, () -> secrets.resolve(token), runs, Clock.systemUTC(), audit::event);
      } catch (java.net.BindException e) {
        // Most often a second 'codemode serve' with the same config: say which setting to change.
        throw new IOException(config.source() + ": admin.listen: " + host + ":" + port + " is already in use (is another"
            + " 'codemode serve' with this config running?); give this one another admin.listen port or admin.enabled: false", e);
      }
    }
  }

  /** Traces of runs ({@link Tracing#OFF} unless {@code telemetry.otlp_endpoint} is set). */
  public Tracing tracing() {
    return tracing;
  }

  public CodemodeMetrics metrics() {
    return metrics;
  }

  public RunRegistry runs() {
    return runs;
  }

  /** The state shared with the other replicas (memory when this is the only one). */
  public SharedState state() {
    return state;
  }

  private void quarantine(RunIdentity id, List<String> tripped, RunResult r, String code, RunAudit trail,
      PolicySnapshot policy, UnaryOperator<String> piiText) {
    List<Map<String, Object>> calls = r.toolCalls().stream().map(c -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("tool", c.tool());
      m.put("ok", c.ok());
      m.put("ms", c.ms());
      return m;
    }).toList();
    try {
      Path p = quarantine.write(new QuarantineStore.Bundle(id, tripped, r.status().wireName(), scrubber.scrub(code),
          piiText.apply(scrubber.scrub(r.console())), trail.events(), policy, calls));
      tripped.forEach(metrics::quarantined);
      LOG.warn("run {} quarantined ({}): {}", id.runId(), String.join(", ", tripped), p);
      if (blobs.quarantine().isPresent()) {
        BlobStores.copyFolder(p, blobs.quarantine().get(), id.runId());
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("run {} tripped {} but its quarantine bundle could not be written: {}", id.runId(), tripped, e.toString());
    }
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
    runs.close();
    state.close();
    blobs.close();
    tracing.close();
  }
}
