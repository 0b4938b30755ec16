package dev.codemode.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.policies.Profile;

/**
 * One capability call from guest code, with the run it belongs to.
 *
 * @param hostBudget where the host charges the time its work for this call takes
 */
public record BridgeCall(String runId, Profile profile, String capability, JsonNode args, RunJournal journal,
    HostBudget hostBudget) {

  /** A call whose host work is not charged to a budget. */
  public BridgeCall(String runId, Profile profile, String capability, JsonNode args, RunJournal journal) {
    this(runId, profile, capability, args, journal, HostBudget.unlimited());
  }

  /** This call with {@code other} as its arguments; every other field kept. */
  public BridgeCall withArgs(JsonNode other) {
    return new BridgeCall(runId, profile, capability, other, journal, hostBudget);
  }
}
