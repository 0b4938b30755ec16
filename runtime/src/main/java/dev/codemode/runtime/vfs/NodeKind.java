package dev.codemode.runtime.vfs;

/** What a virtual path names. */
public enum NodeKind {
  FILE,
  DIRECTORY,
  /** Anything else a host mount may hold: a symlink seen in a listing, a device, a FIFO. */
  OTHER
}
