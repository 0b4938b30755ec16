package dev.codemode.server.auth;

import dev.codemode.policies.AuthSettings;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is calling, as established by the HTTP authentication filter.
 *
 * @param name the principal's name (OAuth principals are {@code oauth:<claim value>})
 * @param profiles the profiles it may run under; {@code *} means every profile
 * @param method how it authenticated: {@code token}, {@code oauth} or {@code none} (loopback, no auth configured)
 */
public record Principal(String name, Set<String> profiles, String method) {
  /** The transport-context key under which the principal travels to the tool handler. */
  public static final String CONTEXT_KEY = "codemode.principal";

  public Principal {
    profiles = Set.copyOf(profiles);
  }

  /** The principal of a loopback server with no auth configured: may use every profile. */
  public static Principal local() {
    return new Principal("local", Set.of(AuthSettings.ALL_PROFILES), "none");
  }

  /** Whether this principal may run under {@code profile} (exact name match). */
  public boolean mayUse(String profile) {
    return profiles.contains(AuthSettings.ALL_PROFILES) || profiles.contains(profile);
  }

  /** The allowed profiles, sorted, for messages. */
  public String describeProfiles() {
    return String.join(", ", new TreeSet<>(profiles));
  }
}
