package dev.codemode.server.approval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletionStage;

/** Asks a person whether one tool call may go ahead; completes with {@link Decision}. Never throws. */
@FunctionalInterface
public interface Approver {

  /** Asks about {@code tool} (as {@code server.tool}) with {@code args}, for run {@code runId}. */
  CompletionStage<Decision> ask(String runId, String tool, JsonNode args);

  /** For a local run, where nobody can be asked. */
  Approver NOBODY = unavailable("not approved: nobody can be asked for approval for this run");

  /** An approver for a client that cannot be asked: every call is refused at once with that reason. */
  static Approver unavailable(String why) {
    return (runId, tool, args) -> java.util.concurrent.CompletableFuture.completedFuture(Decision.refused(why));
  }

  /** The answer: approved, or refused with the reason recorded in the run's denials. */
  record Decision(boolean approved, String reason) {
    public static Decision approve() {
      return new Decision(true, "approved");
    }

    public static Decision refused(String reason) {
      return new Decision(false, reason);
    }
  }
}
