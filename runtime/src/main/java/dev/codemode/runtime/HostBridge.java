package dev.codemode.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletionStage;

/**
 * The host side of the one door out of the sandbox: a capability name and JSON in, JSON out.
 *
 * <p>The runtime knows nothing of MCP. Implementations must return quickly (do slow work
 * asynchronously) and never throw: a failure completes the stage with a {@link BridgeException},
 * whose code and message the guest sees as a plain JS {@code Error}.
 */
public interface HostBridge {

  /** Starts {@code capability} (e.g. {@code tool.call}, {@code net.fetch}) for the run described by {@code call}. */
  CompletionStage<JsonNode> call(BridgeCall call);

  /**
   * The run this bridge serves has stopped: cancel and settle everything it started through this bridge
   * (queued and in-flight requests), so the journal is complete and nothing of the run is left running.
   * The runner calls it before the run's result is built; it may be called more than once.
   */
  default void endRun() {
  }

  /**
   * The run's console has taken {@code bytes} so far (before any cut); a hint for progress reports, sent
   * as the run writes. Must return at once and never throw.
   */
  default void consoleWritten(long bytes) {
  }

  /** A bridge that refuses every capability; for runs that need none. */
  HostBridge NONE = call -> java.util.concurrent.CompletableFuture.failedFuture(
      new BridgeException("ENOSYS", "capability '" + call.capability() + "' is not available here"));
}
