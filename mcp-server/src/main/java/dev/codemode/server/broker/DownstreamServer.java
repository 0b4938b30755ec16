package dev.codemode.server.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.bindings.ServerTools;
import dev.codemode.policies.ServerSpec;
import dev.codemode.runtime.BridgeException;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * One configured downstream MCP server: its client connection, started at boot or on first use, watched
 * for crashes and restarted with exponential backoff; its {@code tools/list}, cached and refreshed on
 * {@code list_changed}; and its tool calls, each bounded by the server's {@code call_timeout_ms} and
 * holding one of the broker's call slots while it runs.
 */
public final class DownstreamServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DownstreamServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final ServerSpec spec;
  private final DownstreamTransports transports;
  private final Executor io;
  private final Semaphore slots;
  private final ScheduledExecutorService timer;
  private final Consumer<DownstreamServer> onToolsChanged;
  private final Object lock = new Object();
  private volatile Connection current;
  private volatile boolean closed;
  private volatile int failures;
  private volatile long nextAttemptNanos;
  private volatile String lastFailure;
  private volatile ServerTools tools;
  private volatile String instructions;
  private volatile String serverTitle;
  private volatile Redactor redactor = new Redactor(List.of());

  /**
   * {@code io} runs starts, closes and the calls that must wait (for a start or for a slot); {@code slots}
   * bounds the calls running at once, across the broker.
   */
  DownstreamServer(ServerSpec spec, DownstreamTransports transports, Executor io, Semaphore slots,
      ScheduledExecutorService timer, Consumer<DownstreamServer> onToolsChanged) {
    this.spec = spec;
    this.transports = transports;
    this.io = io;
    this.slots = slots;
    this.timer = timer;
    this.onToolsChanged = onToolsChanged;
    this.tools = new ServerTools(spec.name(), blankToNull(spec.description()), List.of());
  }

  /** One live client session; {@code dead} once its process exited or it was closed. */
  private final class Connection {
    final McpAsyncClient client;
    final Map<CompletableFuture<?>, String> inFlight = new ConcurrentHashMap<>();
    volatile boolean dead;
    volatile boolean closing;
    volatile boolean ready;

    Connection(McpAsyncClient client) {
      this.client = client;
    }
  }

  public ServerSpec spec() {
    return spec;
  }

  /** The last known tools (kept across restarts, so a crash does not make the sandbox's names vanish). */
  public ServerTools tools() {
    return tools;
  }

  /** Whether a session was ever established (the tool list is known). */
  public boolean everStarted() {
    return serverTitle != null;
  }

  /** The one-line summary for the tool description: configured description, else the server's instructions, else its title. */
  public String summary() {
    String s = blankToNull(spec.description());
    if (s == null) {
      s = blankToNull(instructions);
    }
    if (s == null) {
      s = serverTitle;
    }
    // The first non-blank line, without Markdown heading marks ("# Everything Server" → "Everything Server").
    String line = s == null ? "" : s.strip().lines().findFirst().orElse("").replaceFirst("^#+\\s*", "").strip();
    line = line.length() <= 200 ? line : line.substring(0, 199) + "…";
    if (!everStarted() && lastFailure != null) {
      line = (line.isEmpty() ? "" : line + " ") + "(unavailable: it failed to start)";
    }
    return line;
  }

  /** Whether the backoff after the last failure has passed (and no start is under way). */
  boolean mayRetry() {
    // Read without the lock: a start in progress holds it for up to START_TIMEOUT.
    return !closed && System.nanoTime() - nextAttemptNanos >= 0;
  }

  /** Why the last start failed, or null. */
  public String lastFailure() {
    return lastFailure;
  }

  /** Starts the session if none is up (waits for it); failures are recorded, not thrown. */
  public void ensureStarted() {
    try {
      connection();
    } catch (BridgeException e) {
      // Recorded in lastFailure; calls report it.
    }
  }

  /**
   * Calls {@code tool} with {@code args}; the future completes with the raw {@code CallToolResult} as JSON,
   * or fails with a {@link BridgeException} whose message names the server and what went wrong.
   */
  public CompletableFuture<JsonNode> call(String tool, Map<String, Object> args) {
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    Connection live = current;
    if (live != null && live.ready && !live.dead && slots.tryAcquire()) {
      // The usual case: the request goes out from the caller's thread and the answer completes the future
      // on the SDK's reader thread; no pool thread is woken on the way (each hand-off costs 0.05-0.25 ms).
      send(live, tool, args, result);
      return result;
    }
    try {
      io.execute(() -> callWhenReady(tool, args, result));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new BridgeException("EBUSY",
          "too many downstream tool calls in flight; retry after the current ones finish"));
    }
    return result;
  }

  /** On the IO pool: waits for a slot, starts the session if needed, then sends. */
  private void callWhenReady(String tool, Map<String, Object> args, CompletableFuture<JsonNode> result) {
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.completeExceptionally(new BridgeException("EBUSY", "the broker is shutting down"));
      return;
    }
    // The session is looked up only now: one that died while this call waited for its slot is restarted.
    Connection c;
    try {
      c = connection();
    } catch (BridgeException e) {
      slots.release();
      result.completeExceptionally(e);
      return;
    }
    send(c, tool, args, result);
  }

  /** Sends the call on {@code c}, holding one slot until {@code result} completes (however it completes). */
  private void send(Connection c, String tool, Map<String, Object> args, CompletableFuture<JsonNode> result) {
    c.inFlight.put(result, tool);
    result.whenComplete((value, error) -> {
      c.inFlight.remove(result);
      slots.release();
    });
    if (c.dead) { // lost after the caller looked: connectionLost may have failed the in-flight calls already
      result.completeExceptionally(exited(tool));
      return;
    }
    try {
      c.client.callTool(new McpSchema.CallToolRequest(tool, args)).subscribe(
          r -> {
            result.complete(JSON.valueToTree(r));
            if (failures != 0 && c == current) {
              synchronized (lock) {
                failures = 0;
              }
            }
          },
          e -> failed(c, tool, e, result));
    } catch (RuntimeException e) {
      failed(c, tool, e, result);
    }
  }

  private void failed(Connection c, String tool, Throwable e, CompletableFuture<JsonNode> result) {
    if (e instanceof McpError) {
      result.completeExceptionally(new BridgeException("ETOOL",
          spec.name() + "." + tool + " failed: " + redactor.apply(e.getMessage())));
      return;
    }
    result.completeExceptionally(failure(c, tool, e));
    if (!spec.isStdio() && !causedBy(e, TimeoutException.class)) {
      connectionLost(c, "the connection failed");
    }
  }

  private BridgeException failure(Connection c, String tool, Throwable e) {
    if (c.dead || causedBy(e, StdioProcessTransport.ProcessExitedException.class)) {
      return exited(tool);
    }
    if (causedBy(e, TimeoutException.class)) {
      return new BridgeException("ETIMEDOUT", spec.name() + "." + tool + " did not answer within "
          + spec.callTimeoutMs() + " ms (servers." + spec.name() + ".call_timeout_ms)");
    }
    return new BridgeException("ETOOL", spec.name() + "." + tool + " failed: "
        + redactor.apply(String.valueOf(e.getMessage())));
  }

  private BridgeException exited(String tool) {
    return new BridgeException("EDOWN", "downstream server '" + spec.name() + "' exited during the call to "
        + tool + "; it is being restarted, so a retry can succeed");
  }

  /** Whether {@code e} or one of its causes is a {@code type}. */
  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The live connection, starting one (synchronously) when none is up and the backoff allows. */
  private Connection connection() {
    synchronized (lock) {
      if (closed) {
        throw new BridgeException("EDOWN", "downstream server '" + spec.name() + "' is shut down");
      }
      if (current != null && !current.dead) {
        return current;
      }
      long wait = nextAttemptNanos - System.nanoTime();
      if (failures > 0 && wait > 0) {
        throw new BridgeException("EDOWN", "downstream server '" + spec.name() + "' is unavailable ("
            + lastFailure + "); next start attempt in " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms");
      }
      try {
        current = start();
        lastFailure = null;
        return current;
      } catch (RuntimeException e) {
        failures++;
        // A failed start waits at least 0.5 s before the next attempt; only a crash restarts at once.
        nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs(failures + 1));
        lastFailure = "start failed: " + redactor.apply(rootMessage(e));
        LOG.warn("downstream server '{}' could not start: {}", spec.name(), lastFailure);
        throw new BridgeException("EDOWN", "downstream server '" + spec.name() + "' is unavailable (" + lastFailure + ")");
      }
    }
  }

  /** 0 ms after the first crash, then 0.5 s, 1 s, 2 s … up to 30 s. */
  static long backoffMs(int failures) {
    if (failures <= 1) {
      return 0;
    }
    return Math.min(MAX_BACKOFF_MS, 500L << Math.min(16, failures - 2));
  }

  private Connection start() {
    DownstreamTransports.Built built = transports.create(spec);
    redactor = built.redactor();
    Connection[] self = new Connection[1];
    McpAsyncClient client = McpClient.async(built.transport())
        .clientInfo(new McpSchema.Implementation("codemode", "0.1.0"))
        .requestTimeout(Duration.ofMillis(spec.callTimeoutMs()))
        .initializationTimeout(START_TIMEOUT)
        .toolsChangeConsumer(list -> Mono.fromRunnable(() -> {
          if (self[0] != null && !self[0].dead) {
            setTools(list);
          }
        }))
        .build();
    Connection c = new Connection(client);
    self[0] = c;
    if (built.transport() instanceof StdioProcessTransport stdio) {
      // Watches from before initialize: a process that dies during start-up fails the start at once.
      stdio.exited().whenComplete((x, e) -> {
        Thread t = new Thread(() -> afterExit(c, stdio), "codemode-downstream-" + spec.name() + "-exit");
        t.setDaemon(true);
        t.start();
      });
    }
    try {
      McpSchema.InitializeResult init = client.initialize().block();
      instructions = init.instructions();
      String title = init.serverInfo() == null ? null : blankToNull(init.serverInfo().title());
      setTools(ToolLists.listAll(client));
      serverTitle = title != null ? title : init.serverInfo() == null ? spec.name() : init.serverInfo().name();
      synchronized (c) {
        if (c.dead) {
          throw new IllegalStateException("the process exited during start-up");
        }
        c.ready = true;
      }
    } catch (RuntimeException e) {
      boolean exited = c.dead || causedBy(e, StdioProcessTransport.ProcessExitedException.class);
      c.closing = true;
      c.dead = true;
      String tail = "";
      if (exited && built.transport() instanceof StdioProcessTransport stdio) {
        stdio.awaitStderrEnd(STDERR_GRACE);
        tail = built.stderr().text();
      }
      closeQuietly(client);
      if (!exited) {
        throw e;
      }
      throw new IllegalStateException("the process exited during start-up"
          + (tail.isEmpty() ? " without writing to stderr" : "; its stderr ended: " + tail));
    }
    LOG.info("downstream server '{}' started ({} tools)", spec.name(), tools.tools().size());
    return c;
  }

  private void setTools(List<McpSchema.Tool> list) {
    tools = ToolLists.serverTools(spec.name(), blankToNull(spec.description()), list);
    onToolsChanged.accept(this);
  }

  private void afterExit(Connection c, StdioProcessTransport transport) {
    if (c.closing) {
      return;
    }
    synchronized (c) {
      if (!c.ready) {
        c.dead = true;
      }
    }
    if (!c.ready) {
      // The start reads the process's last words and closes the client; closing now ends the pending
      // initialize at once instead of at its timeout.
      transport.awaitStderrEnd(STDERR_GRACE);
      closeQuietly(c.client);
      return;
    }
    String fault = transport.fault();
    connectionLost(c, fault != null ? fault : "the process exited");
  }

  /** Marks the session dead, fails its in-flight calls, and schedules a restart after the backoff. */
  private void connectionLost(Connection c, String why) {
    long delay;
    synchronized (lock) {
      if (c.dead) {
        return;
      }
      c.dead = true;
      if (current == c) {
        current = null;
      }
      failures++;
      delay = backoffMs(failures);
      nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
      lastFailure = why;
    }
    LOG.warn("downstream server '{}' lost: {}; restarting in {} ms", spec.name(), why, delay);
    c.inFlight.forEach((f, tool) -> f.completeExceptionally(exited(tool)));
    c.closing = true;
    try {
      io.execute(() -> closeQuietly(c.client));
      if (!closed) {
        timer.schedule(() -> {
          try {
            io.execute(this::ensureStarted);
          } catch (RejectedExecutionException e) {
            // Shutting down, or busy: the next call starts it.
          }
        }, delay, TimeUnit.MILLISECONDS);
      }
    } catch (RejectedExecutionException e) {
      // Shutting down, or busy: the next call starts it (closing the old client on its own thread).
      closeQuietly(c.client);
    }
  }

  private static void closeQuietly(McpAsyncClient client) {
    try {
      client.closeGracefully().block(CLOSE_TIMEOUT);
    } catch (RuntimeException e) {
      try {
        client.close();
      } catch (RuntimeException ignored) {
        // Already gone.
      }
    }
  }

  /** How long an exit waits for the process's stderr to end (a descendant may still hold it open). */
  private static final Duration STDERR_GRACE = Duration.ofSeconds(2);

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public void close() {
    Connection c;
    synchronized (lock) {
      closed = true;
      c = current;
      current = null;
    }
    if (c != null) {
      c.closing = true;
      c.dead = true;
      closeQuietly(c.client);
    }
  }
}
