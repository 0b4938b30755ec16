package dev.codemode.policies.ops;

/**
 * The artifact store: files runs leave under {@code /workspace/out/}, kept outside the sandbox.
 *
 * @param dir the store's folder (absolute)
 * @param maxRunBytes bytes kept per run; files past the cap are not kept
 * @param maxTotalBytes bytes kept in the whole store; a principal's own oldest runs make room, never another's
 * @param retentionHours age after which a run's artifacts are removed
 * @param maxPrincipalBytes bytes kept for one principal; its oldest runs are removed first
 */
public record ArtifactSettings(String dir, long maxRunBytes, long maxTotalBytes, long retentionHours, long maxPrincipalBytes) {
  /** A store whose per-principal quota is its total cap. */
  public ArtifactSettings(String dir, long maxRunBytes, long maxTotalBytes, long retentionHours) {
    this(dir, maxRunBytes, maxTotalBytes, retentionHours, maxTotalBytes);
  }
}
