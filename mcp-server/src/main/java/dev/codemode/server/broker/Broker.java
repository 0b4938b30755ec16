package dev.codemode.server.broker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.ServerSpec;
import dev.codemode.runtime.BridgeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.codemode.server.Secrets;

/**
 * The MCP clients to every configured downstream server, and the live tool catalog over them. Up to 32
 * tool calls run at once (many calls from one run, {@code Promise.all}, proceed in parallel); more wait on
 * a bounded IO pool, and beyond its queue a call is refused.
 */
public final class Broker implements AutoCloseable {
  /** Most downstream calls running at once, and the IO pool's threads; more wait in its queue, beyond it a call is refused. */
  static final int IO_THREADS = 32;
  static final int IO_QUEUE = 512;
  private final Map<String, DownstreamServer> servers = new LinkedHashMap<>();
  private final ThreadPoolExecutor io;
  private final ScheduledExecutorService timer;
  private final AtomicInteger version = new AtomicInteger();
  private volatile Catalog catalog;
  private volatile int catalogVersion = -1;

  private Broker(Map<String, ServerSpec> specs, Secrets secrets) {
    this.io = new ThreadPoolExecutor(IO_THREADS, IO_THREADS, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(IO_QUEUE), daemon("codemode-broker-io"));
    this.io.allowCoreThreadTimeOut(true);
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("codemode-broker-timer"));
    DownstreamTransports transports = new DownstreamTransports(secrets);
    Semaphore slots = new Semaphore(IO_THREADS);
    specs.forEach((name, spec) ->
        servers.put(name, new DownstreamServer(spec, transports, io, slots, timer, s -> version.incrementAndGet())));
  }

  /** A broker for {@code config}'s servers; the non-lazy ones are started (in parallel) before this returns. */
  public static Broker start(CodemodeConfig config, Secrets secrets) {
    Broker broker = new Broker(config.servers(), secrets);
    broker.startAll(false);
    return broker;
  }

  /** Starts servers in parallel and waits; lazy ones too when {@code includeLazy}. Failures are recorded per server. */
  public void startAll(boolean includeLazy) {
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (DownstreamServer s : servers.values()) {
      if (includeLazy || !s.spec().lazy()) {
        starts.add(CompletableFuture.runAsync(s::ensureStarted, io));
      }
    }
    CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
  }

  /**
   * The current catalog. The first use starts lazy servers that never ran (and waits for them); a server
   * whose start failed is retried in the background once its backoff allows, keeping its last known tools
   * (none if it never started) meanwhile.
   */
  public Catalog catalog() {
    if (servers.values().stream().anyMatch(s -> !s.everStarted() && s.lastFailure() == null)) {
      startAll(true);
    }
    for (DownstreamServer s : servers.values()) {
      if (!s.everStarted() && s.lastFailure() != null && s.mayRetry()) {
        try {
          io.execute(s::ensureStarted);
        } catch (RejectedExecutionException busy) {
          // A later run retries.
        }
      }
    }
    int v = version.get();
    Catalog c = catalog;
    if (c == null || catalogVersion != v) {
      c = Catalog.of(servers.values().stream().map(DownstreamServer::tools).toList());
      catalog = c;
      catalogVersion = v;
    }
    return c;
  }

  /** Configured server name → one-line summary (configured description, else the server's instructions or title). */
  public Map<String, String> summaries() {
    Map<String, String> out = new LinkedHashMap<>();
    servers.forEach((name, s) -> out.put(name, s.summary()));
    return out;
  }

  /** The server named {@code name} (configured name). */
  public Optional<DownstreamServer> server(String name) {
    return Optional.ofNullable(servers.get(name));
  }

  /** Calls {@code server.tool}; completes with the raw {@code CallToolResult} JSON or a {@link BridgeException}. */
  public CompletableFuture<JsonNode> call(String server, String tool, Map<String, Object> args) {
    DownstreamServer s = servers.get(server);
    if (s == null) {
      return CompletableFuture.failedFuture(new BridgeException("ETOOL", "no downstream server '" + server + "' is configured"));
    }
    return s.call(tool, args);
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    servers.values().parallelStream().forEach(DownstreamServer::close);
    timer.shutdownNow();
    io.shutdownNow();
  }
}
