package dev.codemode.policies;

import java.util.List;

/**
 * Which downstream tools the guest may call ({@code server.tool} patterns, {@code *} within one
 * segment), and which of those need a person's approval first.
 */
public record ToolPolicy(List<String> allow, List<String> requireApproval) {
  public ToolPolicy {
    allow = List.copyOf(allow);
    requireApproval = List.copyOf(requireApproval);
  }
}
