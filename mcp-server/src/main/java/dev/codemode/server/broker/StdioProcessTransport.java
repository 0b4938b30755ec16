package dev.codemode.server.broker;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The MCP client transport of a stdio server. The process starts in the config folder from only the
 * environment it is given; requests are written to its stdin on one thread, in order; its stdout is read
 * as JSON-RPC lines and its stderr to the very end, each on its own thread. Stderr is read whatever
 * happens to stdout, so the last words of a process that failed and exited are heard. Closing ends the
 * process and its descendants: stdin closed, then TERM, then KILL, each after a grace period.
 */
final class StdioProcessTransport implements McpClientTransport {
  private static final Logger LOG = LoggerFactory.getLogger(StdioProcessTransport.class);
  private static final int MAX_STDERR_LINE_CHARS = 8 * 1024;
  private static final Duration STOP_GRACE = Duration.ofSeconds(2);
  /** How long a closing server has to exit by itself once its stdin is closed, before it is sent TERM. */
  private static final Duration STDIN_GRACE = Duration.ofSeconds(1);

  private final String name;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path workingDir;
  private final McpJsonMapper mapper;
  private final int maxMessageChars;
  private final Consumer<String> stderrLine;
  private final ExecutorService writer;
  private final CompletableFuture<Process> started = new CompletableFuture<>();
  private final CompletableFuture<Void> exited = new CompletableFuture<>();
  private final CompletableFuture<Void> stderrEnded = new CompletableFuture<>();
  private volatile boolean closing;
  private volatile String fault;

  /** {@code stderrLine} receives each line the process writes to stderr, on the reading thread. */
  StdioProcessTransport(String name, List<String> command, Map<String, String> env, Path workingDir,
      McpJsonMapper mapper, int maxMessageChars, Consumer<String> stderrLine) {
    this.name = name;
    this.command = List.copyOf(command);
    this.env = Map.copyOf(env);
    this.workingDir = workingDir;
    this.mapper = mapper;
    this.maxMessageChars = maxMessageChars;
    this.stderrLine = stderrLine;
    this.writer = Executors.newSingleThreadExecutor(r -> daemon(r, "stdin"));
  }

  @Override
  public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
    return Mono.<Void>fromRunnable(() -> start(handler)).subscribeOn(Schedulers.boundedElastic());
  }

  private void start(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
    Process p;
    synchronized (this) {
      if (closing) {
        throw new IllegalStateException("closed before it started");
      }
      ProcessBuilder pb = new ProcessBuilder(command);
      if (workingDir != null) {
        pb.directory(workingDir.toFile());
      }
      pb.environment().clear();
      pb.environment().putAll(env);
      try {
        p = pb.start();
      } catch (IOException | RuntimeException e) {
        started.completeExceptionally(e);
        exited.complete(null);
        throw new IllegalStateException("could not start " + command.get(0) + ": " + e.getMessage(), e);
      }
    }
    p.onExit().whenComplete((x, e) -> exited.complete(null));
    daemon(() -> readStdout(p, handler), "stdout").start();
    daemon(() -> readStderr(p), "stderr").start();
    started.complete(p);
  }

  private void readStdout(Process p, Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
    try (InputStream out = p.getInputStream()) {
      BoundedLineReader lines = new BoundedLineReader(new InputStreamReader(out, StandardCharsets.UTF_8), maxMessageChars);
      int skipped = 0;
      for (BoundedLineReader.Line line = lines.next(); line != null; line = lines.next()) {
        if (line.truncated()) {
          stopFor("it wrote a message over " + maxMessageChars + " characters");
          return;
        }
        if (line.text().isBlank()) {
          continue;
        }
        JSONRPCMessage message;
        try {
          message = McpSchema.deserializeJsonRpcMessage(mapper, line.text());
        } catch (IOException | RuntimeException e) {
          // Said once at warning level: a server that prints a banner on every call would flood the log.
          if (skipped++ == 0) {
            LOG.warn("downstream server '{}' wrote a line to stdout that is not a JSON-RPC message ({} characters); "
                + "skipped, as are later ones (logged at debug level)", name, line.text().length());
          } else {
            LOG.debug("downstream server '{}': non-JSON-RPC stdout line skipped ({} characters)", name, line.text().length());
          }
          continue;
        }
        try {
          handler.apply(Mono.just(message)).subscribe(x -> { }, e -> unhandled(e));
        } catch (RuntimeException e) {
          unhandled(e);
        }
      }
    } catch (IOException e) {
      if (!closing) {
        LOG.debug("downstream server '{}': stdout read failed: {}", name, e.toString());
      }
    }
    // A process closes its stdout as it exits; one still running a moment later can no longer answer.
    try {
      if (!closing && !p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        stopFor("it closed its stdout");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void unhandled(Throwable e) {
    LOG.warn("downstream server '{}': a message could not be handled: {}", name, e.toString());
  }

  private void readStderr(Process p) {
    try (InputStream err = p.getErrorStream()) {
      BoundedLineReader lines = new BoundedLineReader(new InputStreamReader(err, StandardCharsets.UTF_8), MAX_STDERR_LINE_CHARS);
      for (BoundedLineReader.Line line = lines.next(); line != null; line = lines.next()) {
        try {
          stderrLine.accept(line.text());
        } catch (RuntimeException e) {
          LOG.debug("downstream server '{}': a stderr line could not be handled: {}", name, e.toString());
        }
      }
    } catch (IOException e) {
      LOG.debug("downstream server '{}': stderr read failed: {}", name, e.toString());
    } finally {
      stderrEnded.complete(null);
    }
  }

  @Override
  public Mono<Void> sendMessage(JSONRPCMessage message) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    try {
      writer.execute(() -> {
        try {
          write(message);
          written.complete(null);
        } catch (Exception e) {
          written.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      return Mono.error(new IOException("the transport to '" + name + "' is closed"));
    }
    return Mono.fromFuture(written);
  }

  private void write(JSONRPCMessage message) throws IOException, InterruptedException, ExecutionException {
    Process p = started.get();
    if (closing) {
      throw new IOException("the transport to '" + name + "' is closed");
    }
    byte[] json = mapper.writeValueAsString(message).getBytes(StandardCharsets.UTF_8);
    OutputStream in = p.getOutputStream();
    try {
      in.write(json);
      in.write('\n');
      in.flush();
    } catch (IOException e) {
      // A broken pipe is usually a process that is exiting; the caller is told which it was.
      if (p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new ProcessExitedException(name, e);
      }
      throw e;
    }
  }

  /** A write failed because the process had exited. */
  static final class ProcessExitedException extends IOException {
    ProcessExitedException(String name, IOException cause) {
      super("downstream server '" + name + "' exited", cause);
    }
  }

  /** Completes when the process has exited (or could not start, or was closed before it started). */
  CompletableFuture<Void> exited() {
    return exited;
  }

  /** Why this transport stopped the process itself (an over-long message, a closed stdout), or null. */
  String fault() {
    return fault;
  }

  /** Waits up to {@code wait} for the process's stderr to end: after an exit, its last lines are then in. */
  void awaitStderrEnd(Duration wait) {
    try {
      stderrEnded.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // A descendant may hold stderr open after the process exited; what was read so far is kept.
    }
  }

  private void stopFor(String why) {
    fault = why;
    LOG.warn("downstream server '{}' is stopped: {}", name, why);
    stopProcess(Duration.ZERO);
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.<Void>fromRunnable(() -> {
      synchronized (this) {
        closing = true;
      }
      stopProcess(STDIN_GRACE);
      writer.shutdownNow();
    }).subscribeOn(Schedulers.boundedElastic());
  }

  /**
   * Ends the process the way the MCP stdio transport asks: its stdin is closed and it is given {@code stdinGrace}
   * to exit by itself; then TERM to it and every descendant it had, and KILL to those left after a grace period.
   */
  private void stopProcess(Duration stdinGrace) {
    Process p = started.getNow(null);
    if (p == null) {
      return;
    }
    List<ProcessHandle> descendants = p.descendants().toList();
    try {
      p.getOutputStream().close();
    } catch (IOException ignored) {
      // Already closed by the process.
    }
    awaitExit(p, descendants, stdinGrace);
    p.destroy();
    descendants.forEach(ProcessHandle::destroy);
    awaitExit(p, descendants, STOP_GRACE);
    p.destroyForcibly();
    descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static void awaitExit(Process p, List<ProcessHandle> descendants, Duration wait) {
    if (wait.isZero()) {
      return;
    }
    CompletableFuture<?>[] exits = descendants.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(exits).thenCombine(p.onExit(), (a, b) -> b).get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The next step stops them.
    }
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
    return mapper.convertValue(data, type);
  }

  private Thread daemon(Runnable r, String stream) {
    Thread t = new Thread(r, "codemode-downstream-" + name + "-" + stream);
    t.setDaemon(true);
    return t;
  }
}
