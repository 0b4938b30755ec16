package dev.codemode.runtime.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.codemode.policies.ProcLimits;
import dev.codemode.runtime.GuestError;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.SandboxRunner;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

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
    // The host sends one run at a time; a queue of one absorbs the moment the run thread takes to come back.
    SandboxRunner runner = SandboxRunner.builder().maxConcurrentRuns(1).queueCapacity(1).filesOverBridge(true).build();
    warmUp(runner, args);
    PipeBridge bridge = new PipeBridge(channel);
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
          try {
            runner.runAsync(request, result -> answer(channel, bridge, result));
          } catch (RuntimeException e) {
            answer(channel, bridge, refused(request));
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

  /**
   * Builds the engine of the profile named in {@code args} ({@code NAME AST_DEPTH}, the key runs of that
   * profile share) and runs a few scripts on it, so the first real run does not pay for a cold engine.
   */
  private static final int WARM_UP_RUNS = 300;
  private static final long WARM_UP_NANOS = 1_500_000_000L;

  private static void warmUp(SandboxRunner runner, String[] args) {
    String name = args.length == 2 && args[0].matches("[A-Za-z0-9_.-]{1,64}") ? args[0] : "default";
    int astDepth = args.length == 2 && args[1].matches("[0-9]{1,6}") ? Integer.parseInt(args[1])
        : ProcLimits.DEFAULTS.maxAstDepth();
    ProcLimits d = ProcLimits.DEFAULTS;
    ProcLimits limits = new ProcLimits(d.wallMs(), d.cpuMs(), d.memMb(), d.maxOutputBytes(), d.maxResultBytes(),
        d.maxStatements(), d.maxStackFrames(), astDepth);
    // A fresh JVM runs the interpreter's own code cold: a few hundred runs let the JIT compile the hot
    // paths, so the first agent runs cost about what they cost in a long-lived server. Bounded in time.
    long deadline = System.nanoTime() + WARM_UP_NANOS;
    for (int i = 0; i < WARM_UP_RUNS && (i < 3 || System.nanoTime() < deadline); i++) {
      runner.run(new RunRequest("warm-up-" + i, "console.log('w'); return [1, 2].map(x => x + 1)",
          WorkerProtocol.limitsOnly(name, limits), null, Map.of(), HostBridge.NONE));
    }
  }

  private static RunResult refused(RunRequest request) {
    return new RunResult(request.runId(), RunStatus.INTERNAL_ERROR, NullNode.getInstance(), "",
        new GuestError("InternalError", "the worker could not start the run", null), null,
        List.of(), List.of(), List.of(), List.of(), 0, -1);
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
