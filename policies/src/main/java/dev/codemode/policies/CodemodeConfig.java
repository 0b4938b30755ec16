package dev.codemode.policies;

import dev.codemode.policies.ops.OpsSettings;
import dev.codemode.policies.secrets.SecretSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A loaded, validated configuration: effective profiles (each already merged over {@code default}),
 * downstream servers, runtime settings, and the HTTP and auth settings of {@code serve --http}.
 *
 * @param source where it came from (a file path, or {@code <embedded default>})
 * @param credentials the named secret sources under {@code credentials:}
 * @param stdio what the stdio client may do ({@code stdio:}); all profiles when absent
 */
public record CodemodeConfig(
    String source, Map<String, Profile> profiles, Map<String, ServerSpec> servers, RuntimeSettings runtime,
    OpsSettings ops, HttpSettings http, AuthSettings auth, Map<String, SecretSource> credentials, StdioSettings stdio) {
  /** A configuration without named credentials and with the stdio client granted every profile. */
  public CodemodeConfig(String source, Map<String, Profile> profiles, Map<String, ServerSpec> servers, RuntimeSettings runtime,
      OpsSettings ops, HttpSettings http, AuthSettings auth) {
    this(source, profiles, servers, runtime, ops, http, auth, Map.of(), null);
  }

  public CodemodeConfig {
    credentials = Map.copyOf(credentials);
    profiles = Map.copyOf(profiles);
    servers = Map.copyOf(new TreeMap<>(servers));
    Objects.requireNonNull(ops, "ops");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(auth, "auth");
    stdio = stdio == null ? StdioSettings.all() : stdio;
  }

  /** This configuration with {@code runtime} in place of its own runtime settings. */
  public CodemodeConfig withRuntime(RuntimeSettings runtime) {
    return new CodemodeConfig(source, profiles, servers, runtime, ops, http, auth, credentials, stdio);
  }

  /** The profile named {@code name}. */
  public Optional<Profile> profile(String name) {
    return Optional.ofNullable(profiles.get(name));
  }

  /** The {@code default} profile, which every configuration has. */
  public Profile defaultProfile() {
    return profiles.get("default");
  }

  /** This configuration with its audit events going where {@code audit} says (e.g. a local run's own choice). */
  public CodemodeConfig withAudit(dev.codemode.policies.ops.AuditSettings audit) {
    OpsSettings o = ops;
    return new CodemodeConfig(source, profiles, servers, runtime,
        new OpsSettings(audit, o.artifacts(), o.admin(), o.quarantine(), o.pii(), o.telemetry()), http, auth, credentials, stdio);
  }
}
