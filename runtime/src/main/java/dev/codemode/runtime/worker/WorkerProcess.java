package dev.codemode.runtime.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.runtime.BridgeException;
import dev.codemode.runtime.HostBudget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One live worker JVM as the host sees it: the process, the pipe and the exit code once it is gone.
 * The worker speaks only when told to (ready after start, calls and a result during a run), so the
 * thread that waits for it reads the pipe itself: the answer reaches the caller with no hand-off from
 * a reader thread. A worker that breaks the protocol is killed.
 */
final class WorkerProcess {
  private static final System.Logger LOG = System.getLogger(WorkerProcess.class.getName());
  /** Longest line the host accepts from a worker: a write of up to 64 MiB, base64, plus the envelope. */
  static final int MAX_LINE_BYTES = 96 << 20;
  private static final int MAX_STDERR_LINES = 200;
  /** The JVM's exit code after -XX:+ExitOnOutOfMemoryError. */
  static final int EXIT_OUT_OF_MEMORY = 3;

  private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "codemode-worker-timer");
    t.setDaemon(true);
    return t;
  });

  private final Process process;
  private final LineChannel channel;
  private final int memMb;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private int runs;
  private boolean started;

  /** Thrown by {@link #serve} when the worker process ended before answering. */
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
    w.process.onExit().whenComplete((p, error) -> {
      w.exit.complete(error == null ? p.exitValue() : -1);
      w.channel.close();
    });
    daemon("codemode-worker-err-" + w.pid(), w::drainStderr).start();
    return w;
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Reads until the worker reports it has started; kills it when that takes longer than {@code timeoutMs}. */
  void awaitStarted(long timeoutMs) throws IOException {
    if (!started) {
      expect("started", timeoutMs);
      started = true;
    }
  }

  /** Reads until the worker reports ready (warmed up); kills it when that takes longer than {@code timeoutMs}. */
  void awaitReady(long timeoutMs) throws IOException {
    awaitStarted(timeoutMs);
    expect("ready", timeoutMs);
  }

  private void expect(String type, long timeoutMs) throws IOException {
    KillTimer timer = new KillTimer(timeoutMs);
    try {
      JsonNode m = channel.read();
      if (m == null) {
        throw new IOException(timer.fired() ? "not " + type + " within " + timeoutMs + " ms" : "it exited with " + exitCode());
      }
      if (!m.get("type").textValue().equals(type)) {
        throw new IOException("protocol violation: a message before " + type);
      }
    } catch (IOException e) {
      kill();
      throw new IOException("worker " + pid() + " did not become " + type + ": " + e.getMessage());
    } finally {
      timer.cancel();
    }
  }

  /**
   * Hands the worker {@code run} and reads, on the calling thread, until its result: the worker's calls
   * are served as they arrive. The worker is killed when it has not answered within {@code timeoutMs}.
   *
   * @throws TimeoutException when the worker was killed for taking too long
   * @throws Exited when the worker ended before its result (crash, out of memory, a kill, a broken pipe or
   *     a protocol violation, after which it is killed)
   */
  JsonNode serve(HostRun run, long timeoutMs) throws TimeoutException, Exited {
    runs++;
    KillTimer timer = new KillTimer(timeoutMs);
    try {
      channel.send(WorkerProtocol.run(run.request(), run.limits()));
      while (true) {
        long cpuBeforeRead = HostBudget.cpuNanos();
        JsonNode m = channel.read();
        if (m == null) {
          break;
        }
        switch (m.get("type").textValue()) {
          case "call" -> {
            run.hostBudget().charge(HostBudget.cpuNanos() - cpuBeforeRead); // decoding the call is host work
            onCall(run, m);
          }
          case "result" -> {
            return m;
          }
          case "console" -> {
            run.hostBudget().charge(HostBudget.cpuNanos() - cpuBeforeRead); // as a call: a flood costs the run
            run.request().bridge().consoleWritten(m.path("bytes").asLong(0));
          }
          default -> throw new IOException("protocol violation: unexpected message type");
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!timer.fired() && process.isAlive()) {
        LOG.log(System.Logger.Level.WARNING, "worker {0}: {1}; killing it", pid(), e.getMessage());
      }
      kill();
    } finally {
      timer.cancel();
    }
    if (timer.fired()) {
      throw new TimeoutException("worker " + pid() + " did not answer within " + timeoutMs + " ms");
    }
    throw new Exited(exitCode());
  }

  /** A kill of this worker scheduled for later, and whether it came. */
  private final class KillTimer {
    private final AtomicBoolean fired = new AtomicBoolean();
    private final ScheduledFuture<?> future;

    KillTimer(long timeoutMs) {
      future = TIMERS.schedule(() -> {
        fired.set(true);
        kill();
      }, timeoutMs, TimeUnit.MILLISECONDS);
    }

    boolean fired() {
      return fired.get();
    }

    void cancel() {
      future.cancel(false);
    }
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

  private void onCall(HostRun run, JsonNode m) throws IOException {
    long id = m.path("id").asLong(-1);
    JsonNode capability = m.get("capability");
    if (id < 0 || capability == null || !capability.isTextual()) {
      throw new IOException("protocol violation: a call without id and capability");
    }
    // Encoding and sending the reply is host work for the run too.
    run.serve(capability.textValue(), m.get("args")).whenComplete((value, error) -> run.hostBudget().charged(() -> {
      try {
        if (error == null) {
          channel.send(WorkerProtocol.replyOk(id, value));
        } else {
          BridgeException be = BridgeException.of(error);
          channel.send(WorkerProtocol.replyError(id, be.code(), be.getMessage()));
        }
      } catch (IOException ignored) {
        // The worker is gone; its exit ends the run.
      }
      return null;
    }));
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
