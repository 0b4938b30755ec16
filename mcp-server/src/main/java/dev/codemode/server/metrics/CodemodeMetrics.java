package dev.codemode.server.metrics;

import dev.codemode.policies.ops.QuarantineTrigger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.EgressRecord;
import dev.codemode.runtime.KeptFile;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.ToolCallRecord;
import dev.codemode.runtime.Walls;
import dev.codemode.server.quarantine.QuarantineTriggers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The server's metrics in a Prometheus registry. Tag values that come from guest code (tool names) are
 * bounded: an unconfigured server is {@code _unknown}, and past {@value #MAX_TOOL_TAGS} tool names the rest
 * are {@code _other}, so a guest cannot grow the registry without bound.
 */
public final class CodemodeMetrics {
  static final int MAX_TOOL_TAGS = 500;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger active = new AtomicInteger();
  private final Set<String> knownServers;
  private final Set<String> toolTags = ConcurrentHashMap.newKeySet();
  private final Counter fsWritten;
  private final Set<String> hostTags = ConcurrentHashMap.newKeySet();
  private static final ObjectMapper JSON = new ObjectMapper();

  public CodemodeMetrics(Set<String> configuredServers) {
    this.knownServers = Set.copyOf(configuredServers);
    Gauge.builder("codemode.runs.active", active, AtomicInteger::get).description("Runs executing now").register(registry);
    fsWritten = Counter.builder("codemode.fs.bytes").tag("direction", "written").tag("area", "out")
        .description("Bytes runs left under /workspace/out (kept as artifacts)").baseUnit("bytes").register(registry);
    // Registered at zero so dashboards and alerts see the series before the first event.
    toolCounter("_unknown", "_unknown", "denied");
    for (String kind : new String[] {"fs", "net", "tool"}) {
      denialCounter(kind);
    }
    for (String outcome : new String[] {"allowed", "denied", "error"}) {
      egressCounter(outcome);
    }
    for (String source : new String[] {"tool", "fetch"}) {
      keptCounter(source);
    }
    answerCounter();
    exfilCounter();
  }

  /** Exposes runs executing now ({@code executing}) and, from runs in flight, those still waiting for a slot. */
  public void watchRunner(IntSupplier executing) {
    // Strong references: a gauge holds its object weakly, and a lambda nobody else holds reads NaN after a GC.
    Gauge.builder("codemode.runs.executing", executing, s -> s.getAsInt()).strongReference(true)
        .description("Runs holding a run slot now").register(registry);
    Gauge.builder("codemode.runs.queued", executing, s -> Math.max(0, active.get() - s.getAsInt())).strongReference(true)
        .description("Runs admitted and waiting for a run slot").register(registry);
  }

  /** Exposes the killswitch: 1 while new runs are refused. */
  public void watchKillswitch(BooleanSupplier engaged) {
    Gauge.builder("codemode.killswitch.engaged", engaged, e -> e.getAsBoolean() ? 1 : 0).strongReference(true)
        .description("1 while the killswitch refuses new runs").register(registry);
  }

  /** Whether the shared state backend answers: 0 while Redis is down (the log says so too), 1 otherwise. */
  public void watchStateBackend(BooleanSupplier up) {
    Gauge.builder("codemode.state.backend.up", up, u -> u.getAsBoolean() ? 1 : 0).strongReference(true)
        .description("1 while the shared state backend (memory or Redis) answers").register(registry);
  }

  /**
   * A bridge call handed {@code value} to the sandbox: a tool result or a fetch response stays there (the
   * model sees only what the code returns), so its bytes count as context kept.
   */
  public void resultReachedSandbox(String capability, JsonNode value) {
    String source = "tool.call".equals(capability) ? "tool" : "net.fetch".equals(capability) ? "fetch" : null;
    if (source != null && value != null) {
      keptCounter(source).increment(jsonBytes(value));
    }
  }

  /** The model was answered with {@code answer} (its text and structured content). */
  public void answered(McpSchema.CallToolResult answer) {
    long bytes = 0;
    for (McpSchema.Content c : answer.content()) {
      if (c instanceof McpSchema.TextContent t && t.text() != null) {
        bytes += t.text().getBytes(StandardCharsets.UTF_8).length;
      }
    }
    if (answer.structuredContent() != null) {
      bytes += jsonBytes(answer.structuredContent());
    }
    answerCounter().increment(bytes);
  }

  private static long jsonBytes(Object value) {
    CountingSink sink = new CountingSink();
    try {
      JSON.writeValue(sink, value);
    } catch (IOException e) {
      return 0;
    }
    return sink.count;
  }

  /** Counts what is written to it and keeps nothing. */
  private static final class CountingSink extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

  /** The registry, for the HTTP transport to mount at {@code /metrics}. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** A run was admitted. */
  public void runStarted(String profile) {
    active.incrementAndGet();
    Counter.builder("codemode.runs.started").tag("profile", profile).description("Runs started").register(registry).increment();
  }

  /** A run ended with {@code r} (null when the runner refused it as busy). */
  public void runFinished(String profile, RunResult r) {
    active.decrementAndGet();
    String status = r == null ? "busy" : r.status().wireName();
    Counter.builder("codemode.runs.finished").tag("profile", profile).tag("status", status)
        .description("Runs finished, by status").register(registry).increment();
    if (r == null) {
      return;
    }
    Timer.builder("codemode.run.duration").tag("profile", profile).publishPercentiles(0.5, 0.9, 0.99)
        .description("Run wall time").register(registry).record(Duration.ofMillis(r.durationMs()));
    if (r.cpuMs() >= 0) {
      Timer.builder("codemode.run.cpu").tag("profile", profile)
          .description("CPU time of the run's thread").register(registry).record(Duration.ofMillis(r.cpuMs()));
    }
    for (KeptFile f : r.files()) {
      fsWritten.increment(f.content().length);
    }
    for (EgressRecord e : r.egress()) {
      String outcome = e.outcome().startsWith("error") ? "error" : e.outcome();
      egressCounter(outcome).increment();
      Counter.builder("codemode.egress.host.requests").tag("host", host(e)).tag("outcome", outcome)
          .description("Egress requests, by host (allowed hosts only; the rest are _denied) and outcome").register(registry)
          .increment();
    }
    if (QuarantineTriggers.trips(QuarantineTrigger.parse("exfil_list").orElseThrow(), r)) {
      exfilCounter().increment();
    }
    for (ToolCallRecord c : r.toolCalls()) {
      String[] st = split(c.tool());
      toolCounter(st[0], st[1], c.ok() ? "ok" : "error").increment();
    }
    for (Denial d : r.denials()) {
      denialCounter(d.kind()).increment();
      if ("tool".equals(d.kind())) {
        String[] st = split(d.target());
        toolCounter(st[0], st[1], "denied").increment();
      }
    }
    droppedCounter("denials").increment(r.drops().denials());
    droppedCounter("tool_calls").increment(r.drops().toolCalls());
    droppedCounter("egress").increment(r.drops().egress());
    if (r.limit() != null) {
      Counter.builder("codemode.limits").tag("limit", r.limit().kind().wireName())
          .description("Runs ended by a limit").register(registry).increment();
    }
  }

  /**
   * {@code codemode_isolation{isolation,jail}} is 1 for the walls this server runs with (alert on
   * {@code jail="none"} where the jail is expected); registered once they are known (a server just started
   * may still be finding them, and shows none until then).
   */
  public void walls(Walls walls) {
    Gauge.builder("codemode.isolation", () -> 1).tag("isolation", walls.isolation()).tag("jail", walls.jailName())
        .description("The walls around runs: worker process or in-process, and the OS jail").register(registry);
  }

  /** {@code codemode_ready} is 1 while this server is ready. */
  public void ready(BooleanSupplier ready) {
    Gauge.builder("codemode.ready", () -> ready.getAsBoolean() ? 1 : 0)
        .description("1 while this server is ready for calls (warm, not draining)").register(registry);
  }

  /** A run was quarantined. */
  public void quarantined(String trigger) {
    Counter.builder("codemode.quarantined").tag("trigger", trigger).description("Runs quarantined").register(registry).increment();
  }

  private Counter keptCounter(String source) {
    return Counter.builder("codemode.context.bytes.kept").tag("source", source)
        .description("Bytes of tool results and fetch responses that stayed in the sandbox").register(registry);
  }

  private Counter answerCounter() {
    return Counter.builder("codemode.answer.bytes").baseUnit("bytes")
        .description("Bytes of execute_code answers the model saw (text and structured content)").register(registry);
  }

  private Counter exfilCounter() {
    return Counter.builder("codemode.exfil.denied").description("Runs with a request refused by the built-in exfil deny list")
        .register(registry);
  }

  /** The host of an allowed request (bounded: past the cap, {@code _other}); any refused request is {@code _denied}. */
  private String host(EgressRecord e) {
    if (!"allowed".equals(e.outcome())) {
      return "_denied";
    }
    String host;
    try {
      host = URI.create(e.url()).getHost();
    } catch (IllegalArgumentException ex) {
      host = null;
    }
    if (host == null) {
      return "_other";
    }
    return hostTags.contains(host) || (hostTags.size() < MAX_TOOL_TAGS && hostTags.add(host)) ? host : "_other";
  }

  private Counter egressCounter(String outcome) {
    return Counter.builder("codemode.egress.requests").tag("outcome", outcome)
        .description("Egress requests, by outcome").register(registry);
  }

  private Counter droppedCounter(String journal) {
    return Counter.builder("codemode.journal.dropped").tag("journal", journal)
        .description("Journal entries left out of answers past each journal's head (counted, not listed)").register(registry);
  }

  private Counter denialCounter(String kind) {
    return Counter.builder("codemode.denials").tag("kind", kind).description("Policy denials, by kind").register(registry);
  }

  private Counter toolCounter(String server, String tool, String outcome) {
    return Counter.builder("codemode.tool.calls").tag("server", server).tag("tool", tool).tag("outcome", outcome)
        .description("Downstream tool calls, by server, tool and outcome").register(registry);
  }

  private String[] split(String qualified) {
    int dot = qualified.indexOf('.');
    String server = dot < 0 ? qualified : qualified.substring(0, dot);
    String tool = dot < 0 ? "" : qualified.substring(dot + 1);
    if (!knownServers.contains(server)) {
      return new String[] {"_unknown", "_unknown"};
    }
    String key = server + "." + tool;
    if (toolTags.contains(key) || (toolTags.size() < MAX_TOOL_TAGS && toolTags.add(key))) {
      return new String[] {server, tool};
    }
    return new String[] {server, "_other"};
  }
}
