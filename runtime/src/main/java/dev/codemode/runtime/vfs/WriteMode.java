package dev.codemode.runtime.vfs;

/** How a write treats an existing file. */
public enum WriteMode {
  /** Replace the content, creating the file if needed (Node flag {@code w}). */
  TRUNCATE,
  /** Add to the end, creating the file if needed (Node flag {@code a}). */
  APPEND,
  /** Create a new file; fail with EEXIST if one exists (Node flag {@code wx}). */
  EXCLUSIVE
}
