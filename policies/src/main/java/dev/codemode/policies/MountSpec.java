package dev.codemode.policies;

/**
 * One mount of the guest's file system.
 *
 * @param path the guest path, absolute and canonical (e.g. {@code /deps})
 * @param rw whether the guest may write
 * @param source the host folder behind a read-only mount, absolute and canonical; null for an
 *     in-memory mount that is fresh for every run
 */
public record MountSpec(String path, boolean rw, String source) {}
