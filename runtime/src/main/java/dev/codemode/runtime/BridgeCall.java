package dev.codemode.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.policies.Profile;

/** One capability call from guest code, with the run it belongs to. */
public record BridgeCall(String runId, Profile profile, String capability, JsonNode args, RunJournal journal) {

  /** This call with {@code other} as its arguments; every other field kept. */
  public BridgeCall withArgs(JsonNode other) {
    return new BridgeCall(runId, profile, capability, other, journal);
  }
}
