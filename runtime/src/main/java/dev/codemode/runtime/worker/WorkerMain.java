package dev.codemode.runtime.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.runtime.GuestError;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.SandboxRunner;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker JVM's entry point: one run at a time, told by the host over stdin, answered over stdout,
 * with the in-process machinery ({@link SandboxRunner}) doing the run. It holds no credentials and no
 * clients: every capability call, files and module imports included, is a round trip to the host.
 * Exit codes: 0 at end of input, 2 on a protocol error; 3 is the JVM's own on OutOfMemoryError.
 */
public final class WorkerMain {
  /** Longest line the worker accepts from the host (a file read of up to 64 MiB, base64). */
  static final int MAX_LINE_BYTES = 96 << 20;
  /** How long the worker waits with no run before it warms up between runs. */
  private static final long QUIET_BEFORE_WARM_UP_MS = 50;
  /**
   * Agent runs under way (read from the host, not yet answered); warm-up runs wait for none, and for a first
   * one: a spare worker the pool never hands a run spends no CPU on warming up beside the busy one.
   */
  private static final AtomicInteger AGENT_RUNS = new AtomicInteger();
  private static volatile boolean servedAgentRun;

  private WorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    LineChannel channel = new LineChannel(new FileInputStream(FileDescriptor.in),
        new FileOutputStream(FileDescriptor.out), MAX_LINE_BYTES);
    // stdout carries the protocol only: anything else printed goes to stderr.
    System.setOut(System.err);
    // The launch has worked (JVM, jail, class path): the host need not wait for the warm-up to know it.
    send(channel, WorkerProtocol.started());
    // The host sends one run at a time; a queue of one absorbs the moment the last run takes to wind down.
    SandboxRunner runner = SandboxRunner.builder().maxConcurrentRuns(1).queueCapacity(1).filesOverBridge(true).build();
    WarmUp warmUp = new WarmUp(runner, args);
    warmUp.run();
    PipeBridge bridge = new PipeBridge(channel);
    send(channel, WorkerProtocol.ready());
    // Two threads take turns: the one holding the pipe reads until a run arrives, hands the pipe to the
    // other (which serves the run's replies) and runs the request itself, so no thread is woken between
    // the host's request and the start of the run.
    Semaphore pipe = new Semaphore(1);
    Thread first = SandboxRunner.newRunThread("codemode-worker-1", () -> takeTurns(channel, bridge, runner, pipe, warmUp));
    Thread second = SandboxRunner.newRunThread("codemode-worker-2", () -> takeTurns(channel, bridge, runner, pipe, warmUp));
    first.start();
    second.start();
    first.join();
  }

  private static void takeTurns(LineChannel channel, PipeBridge bridge, SandboxRunner runner, Semaphore pipe,
      WarmUp warmUp) {
    while (true) {
      awaitPipe(pipe, warmUp);
      RunRequest request;
      try {
        request = readUntilRun(channel, bridge);
      } finally {
        pipe.release();
      }
      AGENT_RUNS.incrementAndGet();
      servedAgentRun = true;
      try {
        runner.runHere(request, result -> answer(channel, bridge, result));
      } catch (RuntimeException e) {
        answer(channel, bridge, refused(request));
      } finally {
        AGENT_RUNS.decrementAndGet();
      }
    }
  }

  /**
   * Takes the pipe. While the other thread holds it and no run is active, after a quiet moment, warms up one
   * throw-away run at a time (see {@link WarmUp#oneMore}): back-to-back runs are not slowed by it, and an agent
   * run that arrives is read and started by the other thread at once.
   */
  private static void awaitPipe(Semaphore pipe, WarmUp warmUp) {
    try {
      if (pipe.tryAcquire(QUIET_BEFORE_WARM_UP_MS, TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    while (!pipe.tryAcquire()) {
      if (!warmUp.oneMore(() -> servedAgentRun && AGENT_RUNS.get() == 0)) {
        pipe.acquireUninterruptibly();
        return;
      }
    }
  }

  /** Serves replies until the next run request; ends the process at end of input or on a protocol error. */
  private static RunRequest readUntilRun(LineChannel channel, PipeBridge bridge) {
    while (true) {
      JsonNode m;
      try {
        m = channel.read();
      } catch (IOException e) {
        System.err.println("codemode worker: " + e.getMessage());
        System.exit(2);
        return null;
      }
      if (m == null) {
        System.exit(0);
        return null;
      }
      switch (m.get("type").textValue()) {
        case "run" -> {
          try {
            return WorkerProtocol.runRequest(m, bridge);
          } catch (RuntimeException e) {
            System.err.println("codemode worker: a malformed run request");
            System.exit(2);
          }
        }
        case "reply" -> bridge.onReply(m);
        default -> {
          System.err.println("codemode worker: unknown message type");
          System.exit(2);
        }
      }
    }
  }

  private static void send(LineChannel channel, JsonNode message) {
    try {
      channel.send(message);
    } catch (IOException e) {
      System.exit(2);
    }
  }

  private static RunResult refused(RunRequest request) {
    return RunResult.bare(request.runId(), RunStatus.INTERNAL_ERROR,
        GuestError.internal("the worker could not start the run"), 0, -1);
  }

  private static void answer(LineChannel channel, PipeBridge bridge, RunResult result) {
    bridge.clear();
    send(channel, WorkerProtocol.result(result));
  }
}
