package dev.codemode.policies;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A loaded, validated configuration: effective profiles (each already merged over {@code default}),
 * downstream servers and runtime settings.
 *
 * @param source where it came from (a file path, or {@code <embedded default>})
 */
public record CodemodeConfig(
    String source, Map<String, Profile> profiles, Map<String, ServerSpec> servers, RuntimeSettings runtime) {
  public CodemodeConfig {
    profiles = Map.copyOf(profiles);
    servers = Map.copyOf(new TreeMap<>(servers));
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
