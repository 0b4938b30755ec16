package dev.codemode.runtime.vfs;

import dev.codemode.policies.fs.DenyGlobs;
import dev.codemode.policies.fs.GlobPattern;
import dev.codemode.policies.fs.VirtualPath;
import dev.codemode.runtime.DenialRule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of a host folder. Every access resolves the real path of the target (following
 * symlinks), refuses it unless it stays inside the mount's real root, and applies the deny globs
 * to the real host path and to that real path seen as a virtual path, on top of the check the
 * caller made on the requested virtual path. No host path or host error text reaches the guest.
 */
final class HostMount {
  private static final int MAX_LINKS = 40;

  private final VirtualPath mountPath;
  private final Path realRoot;
  private final DenyGlobs denyGlobs;
  private final Denier denier;

  HostMount(VirtualPath mountPath, Path source, DenyGlobs denyGlobs, Denier denier) {
    this.mountPath = mountPath;
    try {
      this.realRoot = source.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("mount " + mountPath + ": source folder " + source + " is not readable", e);
    }
    if (!Files.isDirectory(realRoot)) {
      throw new IllegalArgumentException("mount " + mountPath + ": source " + source + " is not a folder");
    }
    this.denyGlobs = denyGlobs;
    this.denier = denier;
  }

  byte[] read(VirtualPath path, String syscall, long cap) throws FsException {
    Path real = resolve(path, syscall);
    BasicFileAttributes attrs = attributes(real, path, syscall);
    if (attrs.isDirectory()) {
      throw FsException.of("EISDIR", syscall, path.toString(), null);
    }
    if (!attrs.isRegularFile()) {
      throw denier.deny(DenialRule.FS_MOUNT, "EACCES", syscall, path, "not a regular file");
    }
    if (attrs.size() > cap) {
      throw denier.deny(DenialRule.FS_LIMIT, "EFBIG", syscall, path, "read limit " + cap + " bytes");
    }
    if (attrs.size() > Integer.MAX_VALUE - 16) {
      throw FsException.of("EFBIG", syscall, path.toString(), null);
    }
    // NOFOLLOW: a final component swapped for a symlink after the check fails instead of escaping.
    try (SeekableByteChannel ch = Files.newByteChannel(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer buf = ByteBuffer.allocate((int) attrs.size() + 1);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // fill
      }
      if (buf.position() > attrs.size()) {
        throw FsException.of("EIO", syscall, path.toString(), "the file grew while being read");
      }
      byte[] out = new byte[buf.position()];
      buf.flip().get(out);
      return out;
    } catch (IOException e) {
      throw hostError(e, syscall, path);
    }
  }

  List<DirEntry> list(VirtualPath path, String syscall) throws FsException {
    Path real = resolve(path, syscall);
    if (!attributes(real, path, syscall).isDirectory()) {
      throw FsException.of("ENOTDIR", syscall, path.toString(), null);
    }
    List<DirEntry> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(real)) {
      for (Path entry : entries) {
        BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        NodeKind kind = a.isDirectory() ? NodeKind.DIRECTORY : a.isRegularFile() ? NodeKind.FILE : NodeKind.OTHER;
        out.add(new DirEntry(entry.getFileName().toString(), kind));
      }
    } catch (IOException e) {
      throw hostError(e, syscall, path);
    }
    return out;
  }

  FileStat stat(VirtualPath path, String syscall) throws FsException {
    BasicFileAttributes a = attributes(resolve(path, syscall), path, syscall);
    NodeKind kind = a.isDirectory() ? NodeKind.DIRECTORY : a.isRegularFile() ? NodeKind.FILE : NodeKind.OTHER;
    return new FileStat(kind, kind == NodeKind.DIRECTORY ? 0 : a.size(), a.lastModifiedTime().toMillis());
  }

  /**
   * The real host path of a virtual path in this mount, after the symlink and deny-glob checks.
   * Symlinks are followed one component at a time, like realpath(3), but a step that would leave
   * the mount's real root is refused before anything outside is looked at: no host file outside
   * the mount is ever touched, not even to learn whether it exists.
   */
  private Path resolve(VirtualPath path, String syscall) throws FsException {
    Deque<String> todo = new ArrayDeque<>(path.relativeTo(mountPath));
    Path current = realRoot;
    // Whether `current` is known to be something other than a folder: going on below it is ENOTDIR on
    // every JDK (which report the host's error differently: "Not a directory", or no such file).
    boolean currentIsLeaf = false;
    int links = 0;
    while (!todo.isEmpty()) {
      String name = todo.pollFirst();
      if (name.isEmpty()) {
        continue;
      }
      if (currentIsLeaf) {
        throw FsException.of("ENOTDIR", syscall, path.toString(), null);
      }
      if (name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        current = current.getParent();
        if (current == null || !current.startsWith(realRoot)) {
          throw denier.deny(DenialRule.FS_MOUNT, "EACCES", syscall, path, "symlink leaves mount " + mountPath);
        }
        continue;
      }
      Path next = current.resolve(name);
      if (next.getNameCount() != current.getNameCount() + 1 || !next.startsWith(realRoot)) {
        throw denier.deny(DenialRule.FS_MOUNT, "EACCES", syscall, path, "path leaves mount " + mountPath);
      }
      BasicFileAttributes attrs = attributes(next, path, syscall);
      if (!attrs.isSymbolicLink()) {
        current = next;
        currentIsLeaf = !attrs.isDirectory();
        continue;
      }
      if (++links > MAX_LINKS) {
        throw FsException.of("ELOOP", syscall, path.toString(), null);
      }
      Path target;
      try {
        target = Files.readSymbolicLink(next);
      } catch (IOException e) {
        throw hostError(e, syscall, path);
      }
      if (target.isAbsolute()) {
        if (!target.startsWith(realRoot)) {
          throw denier.deny(DenialRule.FS_MOUNT, "EACCES", syscall, path, "symlink leaves mount " + mountPath);
        }
        current = realRoot;
        target = realRoot.relativize(target);
      }
      List<String> parts = new ArrayList<>();
      for (Path part : target) {
        parts.add(part.toString());
      }
      for (int i = parts.size() - 1; i >= 0; i--) {
        todo.addFirst(parts.get(i));
      }
    }
    Path real = current;
    List<String> hostSegments = new ArrayList<>();
    for (Path name : real) {
      hostSegments.add(name.toString());
    }
    Optional<GlobPattern> hostMatch = denyGlobs.firstMatch(hostSegments);
    if (hostMatch.isPresent()) {
      throw denier.deny(DenialRule.FS_DENY_GLOB, "EACCES", syscall, path, "deny_globs '" + hostMatch.get().text() + "' on the host path");
    }
    List<String> targetSegments = new ArrayList<>(mountPath.segments());
    for (Path name : realRoot.relativize(real)) {
      if (!name.toString().isEmpty()) {
        targetSegments.add(name.toString());
      }
    }
    Optional<GlobPattern> targetMatch = denyGlobs.firstMatch(targetSegments);
    if (targetMatch.isPresent()) {
      throw denier.deny(DenialRule.FS_DENY_GLOB, "EACCES", syscall, path, "deny_globs '" + targetMatch.get().text() + "' on the symlink target");
    }
    return real;
  }

  private BasicFileAttributes attributes(Path real, VirtualPath path, String syscall) throws FsException {
    try {
      return Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw hostError(e, syscall, path);
    }
  }

  /** Maps a host failure to a code without its message, which could name host paths. */
  private FsException hostError(IOException e, String syscall, VirtualPath path) {
    if (e instanceof NoSuchFileException) {
      return FsException.of("ENOENT", syscall, path.toString(), null);
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return denier.deny(DenialRule.FS_MOUNT, "EACCES", syscall, path, "host permission");
    }
    if (e instanceof java.nio.file.FileSystemException fse && "Not a directory".equals(fse.getReason())) {
      return FsException.of("ENOTDIR", syscall, path.toString(), null);
    }
    return FsException.of("EIO", syscall, path.toString(), null);
  }
}
