package dev.codemode.runtime.vfs;

import dev.codemode.policies.fs.VirtualPath;
import dev.codemode.runtime.DenialRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A read-write mount held in memory, fresh for each run, with a byte quota and a quota on the
 * number of files and folders. Every change checks the quotas before touching the tree, so a
 * refused change leaves nothing behind. Callers synchronize.
 */
final class MemoryMount {
  private final VirtualPath mountPath;
  private final long maxBytes;
  private final int maxFiles;
  private final Denier denier;
  private final Dir root;
  private long usedBytes;
  private int usedFiles;

  MemoryMount(VirtualPath mountPath, long maxBytes, int maxFiles, Denier denier) {
    this.mountPath = mountPath;
    this.maxBytes = maxBytes;
    this.maxFiles = maxFiles;
    this.denier = denier;
    this.root = new Dir(System.currentTimeMillis());
  }

  private abstract static class Node {
    long mtimeMs;

    Node(long mtimeMs) {
      this.mtimeMs = mtimeMs;
    }
  }

  private static final class Dir extends Node {
    final Map<String, Node> children = new TreeMap<>();

    Dir(long mtimeMs) {
      super(mtimeMs);
    }
  }

  /**
   * A file's bytes in a buffer that may be longer than the file: an append writes into the spare room
   * and grows the buffer geometrically (never past the mount's quota), so many small appends to a large
   * file cost the bytes appended, not a copy of the whole file each time.
   */
  private static final class File extends Node {
    private byte[] buffer;
    private int size;

    File(byte[] data, long mtimeMs) {
      super(mtimeMs);
      this.buffer = data;
      this.size = data.length;
    }

    int size() {
      return size;
    }

    byte[] bytes() {
      return java.util.Arrays.copyOf(buffer, size);
    }

    void replace(byte[] data) {
      buffer = data;
      size = data.length;
    }

    void append(byte[] data, long maxCapacity) {
      int needed = size + data.length;
      if (needed > buffer.length) {
        long grown = Math.max(needed, Math.min(maxCapacity, 2L * buffer.length));
        buffer = java.util.Arrays.copyOf(buffer, (int) grown);
      }
      System.arraycopy(data, 0, buffer, size, data.length);
      size = needed;
    }
  }

  long usedBytes() {
    return usedBytes;
  }

  int usedFiles() {
    return usedFiles;
  }

  byte[] read(VirtualPath path, String syscall, long cap) throws FsException {
    Node node = lookup(path, syscall);
    if (node instanceof Dir) {
      throw FsException.of("EISDIR", syscall, path.toString(), null);
    }
    File file = (File) node;
    if (file.size() > cap) {
      throw denier.deny(DenialRule.FS_LIMIT, "EFBIG", syscall, path, "read limit " + cap + " bytes");
    }
    return file.bytes();
  }

  void write(VirtualPath path, String syscall, byte[] data, WriteMode mode) throws FsException {
    List<String> rel = path.relativeTo(mountPath);
    if (rel.isEmpty()) {
      throw FsException.of("EISDIR", syscall, path.toString(), null);
    }
    Dir parent = directory(path.parent(), path, syscall);
    String name = path.name();
    Node existing = parent.children.get(name);
    if (existing instanceof Dir) {
      throw FsException.of("EISDIR", syscall, path.toString(), null);
    }
    File file = (File) existing;
    if (file != null && mode == WriteMode.EXCLUSIVE) {
      throw FsException.of("EEXIST", syscall, path.toString(), null);
    }
    long oldSize = file == null ? 0 : file.size();
    long newSize = mode == WriteMode.APPEND ? oldSize + data.length : data.length;
    if (newSize > Integer.MAX_VALUE - 16) {
      throw denier.deny(DenialRule.FS_LIMIT, "EFBIG", syscall, path, "file size limit " + (Integer.MAX_VALUE - 16) + " bytes");
    }
    checkQuota(path, syscall, newSize - oldSize, file == null ? 1 : 0);
    long now = System.currentTimeMillis();
    if (file == null) {
      parent.children.put(name, new File(data.clone(), now));
      parent.mtimeMs = now;
      usedFiles++;
    } else {
      if (mode == WriteMode.APPEND) {
        file.append(data, Math.min(Integer.MAX_VALUE - 16, Math.max(newSize, maxBytes)));
      } else {
        file.replace(data.clone());
      }
      file.mtimeMs = now;
    }
    usedBytes += newSize - oldSize;
  }

  List<DirEntry> list(VirtualPath path, String syscall) throws FsException {
    Dir dir = directory(path, syscall);
    List<DirEntry> out = new ArrayList<>();
    for (Map.Entry<String, Node> e : dir.children.entrySet()) {
      out.add(new DirEntry(e.getKey(), e.getValue() instanceof Dir ? NodeKind.DIRECTORY : NodeKind.FILE));
    }
    return out;
  }

  FileStat stat(VirtualPath path, String syscall) throws FsException {
    Node node = lookup(path, syscall);
    if (node instanceof File file) {
      return new FileStat(NodeKind.FILE, file.size(), file.mtimeMs);
    }
    return new FileStat(NodeKind.DIRECTORY, 0, node.mtimeMs);
  }

  /** Creates a folder; returns the first folder created, or null when none was (recursive only). */
  VirtualPath mkdir(VirtualPath path, String syscall, boolean recursive) throws FsException {
    List<String> rel = path.relativeTo(mountPath);
    if (!recursive) {
      if (rel.isEmpty()) {
        throw FsException.of("EEXIST", syscall, path.toString(), null);
      }
      Dir parent = directory(path.parent(), path, syscall);
      if (parent.children.containsKey(path.name())) {
        throw FsException.of("EEXIST", syscall, path.toString(), null);
      }
      checkQuota(path, syscall, 0, 1);
      long now = System.currentTimeMillis();
      parent.children.put(path.name(), new Dir(now));
      parent.mtimeMs = now;
      usedFiles++;
      return path;
    }
    Dir dir = root;
    int existing = 0;
    for (String name : rel) {
      Node next = dir.children.get(name);
      if (next == null) {
        break;
      }
      if (!(next instanceof Dir d)) {
        throw FsException.of(existing == rel.size() - 1 ? "EEXIST" : "ENOTDIR", syscall, path.toString(), null);
      }
      dir = d;
      existing++;
    }
    int missing = rel.size() - existing;
    if (missing == 0) {
      return null;
    }
    checkQuota(path, syscall, 0, missing);
    long now = System.currentTimeMillis();
    dir.mtimeMs = now;
    for (String name : rel.subList(existing, rel.size())) {
      Dir created = new Dir(now);
      dir.children.put(name, created);
      dir = created;
    }
    usedFiles += missing;
    return VirtualPath.parse(mountPath + "/" + String.join("/", rel.subList(0, existing + 1)));
  }

  void remove(VirtualPath path, String syscall, boolean recursive, boolean force) throws FsException {
    if (path.relativeTo(mountPath).isEmpty()) {
      throw FsException.of("EBUSY", syscall, path.toString(), "mount point");
    }
    Node node;
    Dir parent;
    try {
      parent = directory(path.parent(), path, syscall);
      node = lookup(path, syscall);
    } catch (FsException e) {
      if (force && e.code().equals("ENOENT")) {
        return;
      }
      throw e;
    }
    if (node instanceof Dir dir && !recursive) {
      throw FsException.of(dir.children.isEmpty() ? "EISDIR" : "ENOTEMPTY", syscall, path.toString(),
          "use {recursive: true} to remove a folder");
    }
    long[] freed = new long[2];
    measure(node, freed);
    parent.children.remove(path.name());
    parent.mtimeMs = System.currentTimeMillis();
    usedBytes -= freed[0];
    usedFiles -= (int) freed[1];
  }

  /** Every file at or below a path, in name order; an absent path has none. */
  List<StoredFile> files(VirtualPath path) {
    List<StoredFile> out = new ArrayList<>();
    Node node;
    try {
      node = lookup(path, "walk");
    } catch (FsException e) {
      return out;
    }
    collect(path, node, out);
    return out;
  }

  private void collect(VirtualPath path, Node node, List<StoredFile> out) {
    if (node instanceof File file) {
      out.add(new StoredFile(path.toString(), file.bytes(), file.mtimeMs));
      return;
    }
    for (Map.Entry<String, Node> e : ((Dir) node).children.entrySet()) {
      collect(path.child(e.getKey()), e.getValue(), out);
    }
  }

  private static void measure(Node node, long[] bytesAndCount) {
    bytesAndCount[1]++;
    if (node instanceof File file) {
      bytesAndCount[0] += file.size();
      return;
    }
    for (Node child : ((Dir) node).children.values()) {
      measure(child, bytesAndCount);
    }
  }

  private void checkQuota(VirtualPath path, String syscall, long addBytes, int addFiles) throws FsException {
    String mountName = mountPath.name();
    if (addBytes > 0 && usedBytes + addBytes > maxBytes) {
      throw denier.deny(DenialRule.FS_LIMIT, "EDQUOT", syscall, path, "quota: " + mountName + " bytes " + maxBytes);
    }
    if (addFiles > 0 && usedFiles + (long) addFiles > maxFiles) {
      throw denier.deny(DenialRule.FS_LIMIT, "EDQUOT", syscall, path, "quota: " + mountName + " files " + maxFiles);
    }
  }

  private Node lookup(VirtualPath path, String syscall) throws FsException {
    return lookup(path, path, syscall);
  }

  /** Finds {@code path}; errors name {@code reported}, the path the guest asked for. */
  private Node lookup(VirtualPath path, VirtualPath reported, String syscall) throws FsException {
    Node node = root;
    for (String name : path.relativeTo(mountPath)) {
      if (!(node instanceof Dir dir)) {
        throw FsException.of("ENOTDIR", syscall, reported.toString(), null);
      }
      node = dir.children.get(name);
      if (node == null) {
        throw FsException.of("ENOENT", syscall, reported.toString(), null);
      }
    }
    return node;
  }

  private Dir directory(VirtualPath path, String syscall) throws FsException {
    return directory(path, path, syscall);
  }

  private Dir directory(VirtualPath path, VirtualPath reported, String syscall) throws FsException {
    Node node = lookup(path, reported, syscall);
    if (!(node instanceof Dir dir)) {
      throw FsException.of("ENOTDIR", syscall, reported.toString(), null);
    }
    return dir;
  }
}
