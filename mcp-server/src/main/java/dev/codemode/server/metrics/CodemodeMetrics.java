package dev.codemode.server.metrics;

import dev.codemode.runtime.Denial;
import dev.codemode.runtime.EgressRecord;
import dev.codemode.runtime.KeptFile;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.ToolCallRecord;
import dev.codemode.runtime.Walls;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

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
      DistributionSummary.builder("codemode.run.cpu").baseUnit("milliseconds").tag("profile", profile)
          .description("CPU time of the run's thread").register(registry).record(r.cpuMs());
    }
    for (KeptFile f : r.files()) {
      fsWritten.increment(f.content().length);
    }
    for (EgressRecord e : r.egress()) {
      egressCounter(e.outcome().startsWith("error") ? "error" : e.outcome()).increment();
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
    if (r.limit() != null) {
      Counter.builder("codemode.limits").tag("limit", r.limit().kind().wireName())
          .description("Runs ended by a limit").register(registry).increment();
    }
  }

  /**
   * {@code codemode_isolation{isolation,jail}} is 1 for the walls this server runs with (alert on
   * {@code jail="none"} where the jail is expected), and {@code codemode_ready} is 1 while it is ready.
   */
  public void walls(Walls walls, BooleanSupplier ready) {
    Gauge.builder("codemode.isolation", () -> 1).tag("isolation", walls.isolation()).tag("jail", walls.jailName())
        .description("The walls around runs: worker process or in-process, and the OS jail").register(registry);
    Gauge.builder("codemode.ready", () -> ready.getAsBoolean() ? 1 : 0)
        .description("1 while this server is ready for calls (warm, not draining)").register(registry);
  }

  /** A run was quarantined. */
  public void quarantined(String trigger) {
    Counter.builder("codemode.quarantined").tag("trigger", trigger).description("Runs quarantined").register(registry).increment();
  }

  private Counter egressCounter(String outcome) {
    return Counter.builder("codemode.egress.requests").tag("outcome", outcome)
        .description("Egress requests, by outcome").register(registry);
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
