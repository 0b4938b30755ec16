package dev.codemode.runtime.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.runtime.BridgeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One live worker JVM as the host sees it: the process, the pipe, a reader thread that serves the
 * worker's calls for the current run, and the exit code once it is gone. A worker that breaks the
 * protocol is killed.
 */
final class WorkerProcess {
  private static final System.Logger LOG = System.getLogger(WorkerProcess.class.getName());
  /** Longest line the host accepts from a worker: a write of up to 64 MiB, base64, plus the envelope. */
  static final int MAX_LINE_BYTES = 96 << 20;
  private static final int MAX_STDERR_LINES = 200;
  /** The JVM's exit code after -XX:+ExitOnOutOfMemoryError. */
  static final int EXIT_OUT_OF_MEMORY = 3;

  private final Process process;
  private final LineChannel channel;
  private final int memMb;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private volatile HostRun current;
  private int runs;

  /** Thrown through a run's outcome when the worker process ended before answering. */
  static final class Exited extends Exception {
    private static final long serialVersionUID = 1L;
    final int code;

    Exited(int code) {
      super("worker exited with " + code, null, false, false);
      this.code = code;
    }
  }

  private WorkerProcess(Process process, int memMb) {
    this.process = process;
    this.memMb = memMb;
    this.channel = new LineChannel(process.getInputStream(), process.getOutputStream(), MAX_LINE_BYTES);
  }

  /** Starts a worker with exactly {@code env} as its environment; {@link #awaitReady} waits for its warm-up. */
  static WorkerProcess start(List<String> command, Map<String, String> env, int memMb) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().putAll(env);
    WorkerProcess w = new WorkerProcess(pb.start(), memMb);
    daemon("codemode-worker-out-" + w.pid(), w::readLoop).start();
    daemon("codemode-worker-err-" + w.pid(), w::drainStderr).start();
    return w;
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  void awaitReady(long timeoutMs) throws IOException, InterruptedException {
    try {
      ready.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      kill();
      throw new IOException("worker " + pid() + " did not become ready: " + e.getMessage());
    }
  }

  /** Hands the worker a run; the run's outcome completes with the worker's report or its exit. */
  void begin(HostRun run) throws IOException {
    current = run;
    runs++;
    channel.send(WorkerProtocol.run(run.request(), run.limits()));
  }

  void end() {
    current = null;
  }

  int runs() {
    return runs;
  }

  int memMb() {
    return memMb;
  }

  long pid() {
    return process.pid();
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  boolean alive() {
    return process.isAlive() && !exit.isDone();
  }

  CompletableFuture<Integer> exit() {
    return exit;
  }

  /** Kills the worker and everything it started (bwrap's children die with it). */
  void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private void readLoop() {
    try {
      JsonNode m;
      while ((m = channel.read()) != null) {
        switch (m.get("type").textValue()) {
          case "ready" -> ready.complete(null);
          case "call" -> onCall(m);
          case "result" -> {
            HostRun run = current;
            if (run == null) {
              throw new IOException("protocol violation: a result with no run");
            }
            run.outcome().complete(m);
          }
          default -> throw new IOException("protocol violation: unknown message type");
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "worker {0}: {1}; killing it", pid(), e.getMessage());
    } finally {
      int code = exitCode();
      exit.complete(code);
      ready.completeExceptionally(new Exited(code));
      HostRun run = current;
      if (run != null) {
        run.outcome().completeExceptionally(new Exited(code));
      }
      channel.close();
    }
  }

  private int exitCode() {
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        kill();
        process.waitFor(5, TimeUnit.SECONDS);
      }
      return process.isAlive() ? -1 : process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      return -1;
    }
  }

  private void onCall(JsonNode m) throws IOException {
    HostRun run = current;
    long id = m.path("id").asLong(-1);
    JsonNode capability = m.get("capability");
    if (run == null || id < 0 || capability == null || !capability.isTextual()) {
      throw new IOException("protocol violation: a call outside a run or without id and capability");
    }
    run.serve(capability.textValue(), m.get("args")).whenComplete((value, error) -> {
      try {
        if (error == null) {
          channel.send(WorkerProtocol.replyOk(id, value));
        } else {
          Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
          channel.send(cause instanceof BridgeException be ? WorkerProtocol.replyError(id, be.code(), be.getMessage())
              : WorkerProtocol.replyError(id, "EHOST", "the host could not complete this call"));
        }
      } catch (IOException ignored) {
        // The worker is gone; its exit ends the run.
      }
    });
  }

  /** Logs the first lines of the worker's stderr, each cut at 500 characters; reads (and drops) the rest. */
  private void drainStderr() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      StringBuilder line = new StringBuilder();
      int lines = 0;
      int c;
      while ((c = r.read()) >= 0) {
        if (c != '\n') {
          if (line.length() < 500) {
            line.append((char) c);
          }
          continue;
        }
        if (lines++ < MAX_STDERR_LINES) {
          LOG.log(System.Logger.Level.INFO, "worker {0}: {1}", pid(), line);
        }
        line.setLength(0);
      }
    } catch (IOException ignored) {
      // The worker is gone.
    }
  }
}
