package dev.codemode.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.policies.Profile;
import java.util.List;

/**
 * One capability call from guest code, with the run it belongs to.
 *
 * @param allowedTools the run's {@code allowed_tools} patterns, or null when the call did not narrow the profile
 * @param hostBudget where the host charges the time its work for this call takes
 */
public record BridgeCall(String runId, Profile profile, String capability, JsonNode args, RunJournal journal,
    List<String> allowedTools, HostBudget hostBudget) {

  /** A call whose host work is not charged to a budget. */
  public BridgeCall(String runId, Profile profile, String capability, JsonNode args, RunJournal journal,
      List<String> allowedTools) {
    this(runId, profile, capability, args, journal, allowedTools, HostBudget.unlimited());
  }

  /** A call from a run without {@code allowed_tools} narrowing. */
  public BridgeCall(String runId, Profile profile, String capability, JsonNode args, RunJournal journal) {
    this(runId, profile, capability, args, journal, null);
  }

  /** This call with {@code other} as its arguments; every other field kept. */
  public BridgeCall withArgs(JsonNode other) {
    return new BridgeCall(runId, profile, capability, other, journal, allowedTools, hostBudget);
  }
}
