package dev.codemode.runtime.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.policies.ProcLimits;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.SandboxRunner;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The worker JVM's entry point: one run at a time, told by the host over stdin, answered over stdout,
 * with the in-process machinery ({@link SandboxRunner}) doing the run. It holds no credentials and no
 * clients: every capability call, files and module imports included, is a round trip to the host.
 * Exit codes: 0 at end of input, 2 on a protocol error; 3 is the JVM's own on OutOfMemoryError.
 */
public final class WorkerMain {
  /** Longest line the worker accepts from the host (a file read of up to 64 MiB, base64). */
  static final int MAX_LINE_BYTES = 96 << 20;

  private WorkerMain() {}

  public static void main(String[] args) throws IOException {
    LineChannel channel = new LineChannel(new FileInputStream(FileDescriptor.in),
        new FileOutputStream(FileDescriptor.out), MAX_LINE_BYTES);
    // stdout carries the protocol only: anything else printed goes to stderr.
    System.setOut(System.err);
    SandboxRunner runner = SandboxRunner.builder().maxConcurrentRuns(1).queueCapacity(0).filesOverBridge(true).build();
    runner.run(new RunRequest("warm-up", "return [1].map(x => x + 1)[0]",
        WorkerProtocol.limitsOnly("default", ProcLimits.DEFAULTS), null, Map.of(), HostBridge.NONE));
    PipeBridge bridge = new PipeBridge(channel);
    ExecutorService runs = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "codemode-worker-run");
      t.setDaemon(true);
      return t;
    });
    channel.send(WorkerProtocol.ready());
    while (true) {
      JsonNode m;
      try {
        m = channel.read();
      } catch (IOException e) {
        System.err.println("codemode worker: " + e.getMessage());
        System.exit(2);
        return;
      }
      if (m == null) {
        System.exit(0);
        return;
      }
      switch (m.get("type").textValue()) {
        case "run" -> {
          RunRequest request = WorkerProtocol.runRequest(m, bridge);
          runs.execute(() -> answer(channel, bridge, runner.run(request)));
        }
        case "reply" -> bridge.onReply(m);
        default -> {
          System.err.println("codemode worker: unknown message type");
          System.exit(2);
        }
      }
    }
  }

  private static void answer(LineChannel channel, PipeBridge bridge, RunResult result) {
    bridge.clear();
    try {
      channel.send(WorkerProtocol.result(result));
    } catch (IOException e) {
      System.exit(2);
    }
  }
}
