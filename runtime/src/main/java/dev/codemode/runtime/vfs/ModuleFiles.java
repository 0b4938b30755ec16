package dev.codemode.runtime.vfs;

import java.util.List;

/**
 * What the module loader ({@link SandboxFileSystem}) reads through: the run's {@link VirtualFiles} in
 * process, or the host's copy of them over the bridge in a worker. Every check happens behind this seam.
 */
public interface ModuleFiles {
  /** Reads a whole file; more than {@code cap} bytes is refused with EFBIG. */
  byte[] readFile(String rawPath, long cap) throws FsException;

  /** The visible names in a folder, in name order. */
  List<DirEntry> readdir(String rawPath) throws FsException;

  /** The attributes of a path. */
  FileStat stat(String rawPath) throws FsException;

  /** Records the refusal of a write the module loader attempted, and returns the exception for it. */
  FsException refuse(String rawPath, String code, String syscall, String rule);
}
