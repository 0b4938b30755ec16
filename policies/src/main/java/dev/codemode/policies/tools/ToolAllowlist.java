package dev.codemode.policies.tools;

import dev.codemode.policies.Printable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tools a run may call: the profile's {@code tools.allow} patterns, narrowed by the call's
 * {@code allowed_tools} when given. A tool must match both lists, so a call can only narrow; an empty
 * profile list denies everything, and an empty (not absent) {@code allowed_tools} also denies everything.
 */
public final class ToolAllowlist {
  private final List<ToolPattern> profile;
  private final List<ToolPattern> call;

  private ToolAllowlist(List<ToolPattern> profile, List<ToolPattern> call) {
    this.profile = profile;
    this.call = call;
  }

  /**
   * The allowlist for a run.
   *
   * @param profilePatterns the profile's {@code tools.allow}
   * @param callAllowedTools the call's {@code allowed_tools}, or null for no narrowing
   * @throws IllegalArgumentException naming the first invalid pattern and where it came from
   */
  public static ToolAllowlist effective(List<String> profilePatterns, List<String> callAllowedTools) {
    return new ToolAllowlist(parseAll(profilePatterns, "tools.allow"),
        callAllowedTools == null ? null : parseAll(callAllowedTools, "allowed_tools"));
  }

  /** The profile's allowlist without narrowing. */
  public static ToolAllowlist of(List<String> profilePatterns) {
    return effective(profilePatterns, null);
  }

  private static List<ToolPattern> parseAll(List<String> patterns, String source) {
    List<ToolPattern> out = new ArrayList<>();
    for (String p : patterns) {
      try {
        out.add(ToolPattern.parse(p));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(out);
  }

  /** Whether {@code server.tool} may be called. */
  public boolean allows(String server, String tool) {
    return check(server, tool).allowed();
  }

  /** The decision for {@code server.tool}, with a reason naming the deciding pattern or list. */
  public ToolDecision check(String server, String tool) {
    String name = Printable.of(server + "." + tool);
    if (profile.isEmpty()) {
      return new ToolDecision(false, "tool '" + name + "' denied: the profile's tools.allow is empty, so every tool is denied");
    }
    Optional<ToolPattern> byProfile = first(profile, server, tool);
    if (byProfile.isEmpty()) {
      return new ToolDecision(false, "tool '" + name + "' is not in the profile's tools.allow " + profile);
    }
    if (call == null) {
      return new ToolDecision(true, "allowed by tools.allow pattern '" + byProfile.get() + "'");
    }
    Optional<ToolPattern> byCall = first(call, server, tool);
    if (byCall.isEmpty()) {
      return new ToolDecision(false, "tool '" + name + "' is not in this call's allowed_tools " + call);
    }
    return new ToolDecision(true, "allowed by tools.allow pattern '" + byProfile.get()
        + "' and allowed_tools pattern '" + byCall.get() + "'");
  }

  private static Optional<ToolPattern> first(List<ToolPattern> patterns, String server, String tool) {
    return patterns.stream().filter(p -> p.matches(server, tool)).findFirst();
  }
}
