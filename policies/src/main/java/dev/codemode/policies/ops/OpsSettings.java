package dev.codemode.policies.ops;

import java.nio.file.Path;

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

  /** {@code $XDG_STATE_HOME/codemode}, else {@code ~/.local/state/codemode}. */
  public static Path stateDir() {
    String xdg = System.getenv("XDG_STATE_HOME");
    Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("codemode");
  }
}
