package dev.codemode.policies.ops;

import java.nio.file.Path;
import java.util.List;

/**
 * Operational settings outside the profiles: audit log, artifacts, admin endpoint, quarantine, PII tokens, traces,
 * the state replicas share and the store of artifacts and quarantine bundles.
 */
public record OpsSettings(
    AuditSettings audit, ArtifactSettings artifacts, AdminSettings admin, QuarantineSettings quarantine, PiiSettings pii,
    TelemetrySettings telemetry, StateSettings state, BlobStoreSettings store) {

  /** Settings whose shared state and blob store are the single-host defaults ({@code memory}, {@code local}). */
  public OpsSettings(AuditSettings audit, ArtifactSettings artifacts, AdminSettings admin, QuarantineSettings quarantine,
      PiiSettings pii, TelemetrySettings telemetry) {
    this(audit, artifacts, admin, quarantine, pii, telemetry, new StateSettings.Memory(), new BlobStoreSettings.Local());
  }

  /** The settings of the embedded default, for code that builds a configuration by hand. */
  public static OpsSettings defaults() {
    Path state = stateDir();
    return new OpsSettings(
        new AuditSettings("stderr", state.resolve("audit.log").toString(), 50, 10),
        new ArtifactSettings(state.resolve("artifacts").toString(), 16L << 20, 512L << 20, 24),
        new AdminSettings(false, "127.0.0.1", 7787, null),
        new QuarantineSettings(state.resolve("quarantine").toString(), List.of("fs_deny_glob", "exfil_list"), 4L << 20,
            1024L << 20, 30),
        new PiiSettings(60, List.of()),
        TelemetrySettings.OFF);
  }

  /** {@code $XDG_STATE_HOME/codemode}, else {@code ~/.local/state/codemode}. */
  public static Path stateDir() {
    String xdg = System.getenv("XDG_STATE_HOME");
    Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("codemode");
  }
}
