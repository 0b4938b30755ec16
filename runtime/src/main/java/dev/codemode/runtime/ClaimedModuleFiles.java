package dev.codemode.runtime;

import dev.codemode.runtime.vfs.DirEntry;
import dev.codemode.runtime.vfs.FileStat;
import dev.codemode.runtime.vfs.FsException;
import dev.codemode.runtime.vfs.ModuleFiles;
import java.util.List;

/**
 * The module files of a worker's {@link PreparedContext}: built before any run, they read through the bridge of
 * whichever run claims the preparedContext. Before a claim every read is refused; nothing reads then.
 */
final class ClaimedModuleFiles implements ModuleFiles {
  private volatile ModuleFiles claimer;

  void bind(ModuleFiles files) {
    this.claimer = files;
  }

  private ModuleFiles files() throws FsException {
    ModuleFiles f = claimer;
    if (f == null) {
      throw new FsException("EIO", "EIO: no run owns these files");
    }
    return f;
  }

  @Override
  public byte[] readFile(String rawPath, long cap) throws FsException {
    return files().readFile(rawPath, cap);
  }

  @Override
  public List<DirEntry> readdir(String rawPath) throws FsException {
    return files().readdir(rawPath);
  }

  @Override
  public FileStat stat(String rawPath) throws FsException {
    return files().stat(rawPath);
  }

  @Override
  public FsException refuse(String rawPath, String code, String syscall, String rule) {
    ModuleFiles f = claimer;
    return f == null ? new FsException("EIO", "EIO: no run owns these files") : f.refuse(rawPath, code, syscall, rule);
  }
}
