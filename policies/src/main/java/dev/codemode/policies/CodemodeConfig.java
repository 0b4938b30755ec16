package dev.codemode.policies;

import dev.codemode.policies.ops.OpsSettings;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A loaded, validated configuration: effective profiles (each already merged over {@code default}),
 * downstream servers, runtime settings, and the HTTP and auth settings of {@code serve --http}.
 *
 * @param source where it came from (a file path, or {@code <embedded default>})
 */
public record CodemodeConfig(
    String source, Map<String, Profile> profiles, Map<String, ServerSpec> servers, RuntimeSettings runtime,
    OpsSettings ops, HttpSettings http, AuthSettings auth) {
  public CodemodeConfig {
    profiles = Map.copyOf(profiles);
    servers = Map.copyOf(new TreeMap<>(servers));
    Objects.requireNonNull(ops, "ops");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(auth, "auth");
  }

  /** The profile named {@code name}. */
  public Optional<Profile> profile(String name) {
    return Optional.ofNullable(profiles.get(name));
  }

  /** The {@code default} profile, which every configuration has. */
  public Profile defaultProfile() {
    return profiles.get("default");
  }
}
