package dev.codemode.policies.ops;

/**
 * The artifact store: files runs leave under {@code /workspace/out/}, kept outside the sandbox.
 *
 * @param dir the store's folder (absolute)
 * @param maxRunBytes bytes kept per run; files past the cap are not kept
 * @param maxTotalBytes bytes kept in the whole store; the oldest runs are removed first
 * @param retentionHours age after which a run's artifacts are removed
 */
public record ArtifactSettings(String dir, long maxRunBytes, long maxTotalBytes, long retentionHours) {}
