package dev.codemode.policies;

import java.util.List;

/**
 * The guest's file system: mounts, deny globs and quotas of the in-memory mounts.
 *
 * @param maxBytes byte quota of each in-memory mount
 * @param maxFiles file-and-folder quota of each in-memory mount
 */
public record FsPolicy(List<MountSpec> mounts, List<String> denyGlobs, long maxBytes, int maxFiles) {
  public FsPolicy {
    mounts = List.copyOf(mounts);
    denyGlobs = List.copyOf(denyGlobs);
  }
}
