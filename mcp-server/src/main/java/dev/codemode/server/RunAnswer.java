package dev.codemode.server;

import dev.codemode.runtime.RunResult;
import dev.codemode.server.artifacts.StoredArtifact;
import java.util.List;

/** What one {@code execute_code} call comes to; each transport renders it. */
public sealed interface RunAnswer {
  /** Refused before any code ran (bad arguments, unknown profile, the killswitch, a denied principal). */
  record Refused(String reason) implements RunAnswer {}

  /** Every run slot is taken: nothing ran, the caller may retry after {@code retryAfterSeconds}. */
  record Busy(String detail, long retryAfterSeconds) implements RunAnswer {}

  /** The code ran: its (model-facing) result and the artifacts it left. */
  record Ran(RunResult result, List<StoredArtifact> artifacts) implements RunAnswer {}
}
