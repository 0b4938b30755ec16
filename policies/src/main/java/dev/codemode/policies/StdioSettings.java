package dev.codemode.policies;

import java.util.List;
import java.util.TreeSet;

/**
 * What the stdio client may do (the top-level {@code stdio:} key), granted like an HTTP principal's token.
 *
 * @param profiles the profiles the stdio client may run under ({@code *} = all, the default)
 */
public record StdioSettings(List<String> profiles) {
  public StdioSettings {
    profiles = List.copyOf(profiles);
  }

  /** Every profile: a configuration without a {@code stdio:} key. */
  public static StdioSettings all() {
    return new StdioSettings(List.of(AuthSettings.ALL_PROFILES));
  }

  /** Whether the stdio client may run under {@code profile} (exact name match). */
  public boolean mayUse(String profile) {
    return profiles.contains(AuthSettings.ALL_PROFILES) || profiles.contains(profile);
  }

  /** The allowed profiles, sorted, for messages. */
  public String describeProfiles() {
    return String.join(", ", new TreeSet<>(profiles));
  }
}
