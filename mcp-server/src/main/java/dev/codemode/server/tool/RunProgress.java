package dev.codemode.server.tool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.HostBridge;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of one run for a client that sent a {@code progressToken}: the run's bridge, seen through
 * {@link #watch}, counts tool calls and fetches and hears the console's byte count, and every {@link #PERIOD_MS} a {@code notifications/progress}
 * says what happened so far. It ends with the run: after {@link #close} returns nothing more is sent.
 */
public final class RunProgress implements AutoCloseable {
  /** How often a notification goes out while the run lasts. */
  static final long PERIOD_MS = 1000;
  /** For a request without a progress token: watches nothing, sends nothing. */
  public static final RunProgress NONE = new RunProgress(null, null);
  private static final Logger LOG = LoggerFactory.getLogger(RunProgress.class);
  private static final ScheduledExecutorService CLOCK = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "codemode-progress");
    t.setDaemon(true);
    return t;
  });

  private final McpSyncServerExchange exchange;
  private final Object token;
  private final long startNanos = System.nanoTime();
  private final AtomicInteger toolCalls = new AtomicInteger();
  private final AtomicInteger toolsDone = new AtomicInteger();
  private final AtomicInteger fetches = new AtomicInteger();
  private final AtomicLong consoleBytes = new AtomicLong();
  private final ScheduledFuture<?> ticks;
  private boolean closed;

  private RunProgress(McpSyncServerExchange exchange, Object token) {
    this.exchange = exchange;
    this.token = token;
    this.ticks = exchange == null ? null : CLOCK.scheduleAtFixedRate(this::tick, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts reporting over {@code exchange} when the request's {@code _meta} carries a {@code progressToken}
   * (a string or a number); {@link #NONE} otherwise.
   */
  public static RunProgress forRequest(McpSyncServerExchange exchange, Map<String, Object> meta) {
    Object token = meta == null ? null : meta.get("progressToken");
    return exchange != null && (token instanceof String || token instanceof Number) ? new RunProgress(exchange, token) : NONE;
  }

  /** {@code bridge} with its calls counted for the notifications; {@link HostBridge#endRun()} passes through. */
  public HostBridge watch(HostBridge bridge) {
    if (this == NONE) {
      return bridge;
    }
    return new HostBridge() {
      @Override
      public CompletionStage<JsonNode> call(BridgeCall call) {
        switch (call.capability()) {
          case "tool.call" -> {
            toolCalls.incrementAndGet();
            return bridge.call(call).whenComplete((v, e) -> toolsDone.incrementAndGet());
          }
          case "net.fetch" -> fetches.incrementAndGet();
          default -> { }
        }
        return bridge.call(call);
      }

      @Override
      public void endRun() {
        bridge.endRun();
      }

      @Override
      public void consoleWritten(long bytes) {
        consoleBytes.set(bytes);
        bridge.consoleWritten(bytes);
      }
    };
  }

  private synchronized void tick() {
    if (closed) {
      return;
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String message = String.format(java.util.Locale.ROOT, "running %.1f s: %d tool calls (%d done), %d fetches, %d console bytes",
        seconds, toolCalls.get(), toolsDone.get(), fetches.get(), consoleBytes.get());
    try {
      exchange.progressNotification(new McpSchema.ProgressNotification(token, Math.floor(seconds * 10) / 10, null, message));
    } catch (RuntimeException e) {
      // The client went away or its stream closed: the run goes on, the answer reports it.
      LOG.debug("progress notification not sent: {}", e.toString());
    }
  }

  /** Stops the notifications; none is sent once this returns. */
  @Override
  public synchronized void close() {
    closed = true;
    if (ticks != null) {
      ticks.cancel(false);
    }
  }
}
