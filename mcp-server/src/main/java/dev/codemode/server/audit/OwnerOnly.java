package dev.codemode.server.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Restricts folders and files that hold agent code or run output to their owner, where the file system has POSIX permissions. */
public final class OwnerOnly {
  private OwnerOnly() {}

  /** Creates {@code dir} if needed and makes it {@code rwx------}. */
  public static Path folder(Path dir) throws IOException {
    Files.createDirectories(dir);
    restrict(dir, "rwx------");
    return dir;
  }

  /** Makes an existing {@code file} {@code rw-------}. */
  public static void file(Path file) throws IOException {
    restrict(file, "rw-------");
  }

  private static void restrict(Path p, String perms) throws IOException {
    if (Files.exists(p) && Files.getFileStore(p).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }
  }
}
