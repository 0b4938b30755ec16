package dev.codemode.runtime.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.BridgeException;
import dev.codemode.runtime.HostBridge;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The worker's bridge: every capability call, files included, goes to the host over the pipe. */
final class PipeBridge implements HostBridge {
  private static final long CONSOLE_EVERY_NANOS = 250_000_000L;
  private final LineChannel channel;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private long consoleBytes;
  private long consoleSent;
  private long consoleSentAtNanos;

  PipeBridge(LineChannel channel) {
    this.channel = channel;
  }

  /**
   * Sends the console count at most every {@link #CONSOLE_EVERY_NANOS} while the run writes, and with its
   * next bridge call: a line per console.log would cost the pipe more than the run.
   */
  @Override
  public synchronized void consoleWritten(long bytes) {
    consoleBytes = bytes;
    if (System.nanoTime() - consoleSentAtNanos >= CONSOLE_EVERY_NANOS) {
      sendConsole();
    }
  }

  private synchronized void sendConsole() {
    if (consoleBytes == consoleSent) {
      return;
    }
    try {
      channel.send(WorkerProtocol.console(consoleBytes));
      consoleSent = consoleBytes;
      consoleSentAtNanos = System.nanoTime();
    } catch (IOException e) {
      // The host is gone: the run's end reports it.
    }
  }

  @Override
  public CompletionStage<JsonNode> call(BridgeCall call) {
    sendConsole();
    long id = ids.incrementAndGet();
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    try {
      channel.send(WorkerProtocol.call(id, call.capability(), call.args()));
    } catch (IOException e) {
      pending.remove(id);
      f.completeExceptionally(new BridgeException("EHOST", "the host could not be reached"));
    }
    return f;
  }

  /** Completes the call a reply answers; a reply to no pending call (one the run gave up on) is dropped. */
  void onReply(JsonNode m) {
    CompletableFuture<JsonNode> f = pending.remove(m.path("id").asLong(-1));
    if (f == null) {
      return;
    }
    if (m.path("ok").asBoolean(false)) {
      f.complete(m.get("value"));
    } else {
      f.completeExceptionally(new BridgeException(m.path("error").path("code").asText("EHOST"),
          m.path("error").path("message").asText("the host could not complete this call")));
    }
  }

  /** Forgets the calls of a run that has ended. */
  void clear() {
    synchronized (this) {
      consoleBytes = 0;
      consoleSent = 0;
    }
    pending.values().forEach(f -> f.completeExceptionally(new BridgeException("EHOST", "the run has ended")));
    pending.clear();
  }
}
