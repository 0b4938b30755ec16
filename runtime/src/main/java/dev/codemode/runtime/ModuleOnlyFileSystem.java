package dev.codemode.runtime;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * A file system for the engine that serves only registered virtual module sources, read-only.
 * Paths are virtual: nothing here ever touches the host's disk.
 */
final class ModuleOnlyFileSystem implements FileSystem {
  private static final Path CWD = Path.of("/workspace");
  private final Map<Path, byte[]> modules = new HashMap<>();

  void register(String absolutePath, String source) {
    modules.put(Path.of(absolutePath).normalize(), source.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Path parsePath(URI uri) {
    if (!"file".equals(uri.getScheme())) {
      throw new UnsupportedOperationException("only file URIs");
    }
    return Path.of(uri.getPath());
  }

  @Override
  public Path parsePath(String path) {
    return Path.of(path);
  }

  @Override
  public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
    if (modes.contains(AccessMode.WRITE) || modes.contains(AccessMode.EXECUTE)) {
      throw new AccessDeniedException(path.toString());
    }
    if (!modules.containsKey(absolute(path))) {
      throw new NoSuchFileException(path.toString());
    }
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    throw new AccessDeniedException(dir.toString());
  }

  @Override
  public void delete(Path path) throws IOException {
    throw new AccessDeniedException(path.toString());
  }

  @Override
  public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
      throws IOException {
    for (OpenOption o : options) {
      if (o != StandardOpenOption.READ) {
        throw new AccessDeniedException(path.toString());
      }
    }
    byte[] bytes = modules.get(absolute(path));
    if (bytes == null) {
      throw new NoSuchFileException(path.toString());
    }
    return new ReadOnlyChannel(bytes);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
      throws IOException {
    throw new NoSuchFileException(dir.toString());
  }

  @Override
  public Path toAbsolutePath(Path path) {
    return absolute(path);
  }

  @Override
  public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
    Path abs = absolute(path);
    if (!modules.containsKey(abs)) {
      throw new NoSuchFileException(path.toString());
    }
    return abs;
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
    byte[] bytes = modules.get(absolute(path));
    if (bytes == null) {
      throw new NoSuchFileException(path.toString());
    }
    FileTime epoch = FileTime.fromMillis(0);
    return Map.of("isRegularFile", true, "isDirectory", false, "isSymbolicLink", false, "isOther", false,
        "size", (long) bytes.length, "lastModifiedTime", epoch, "lastAccessTime", epoch, "creationTime", epoch);
  }

  private static Path absolute(Path path) {
    return (path.isAbsolute() ? path : CWD.resolve(path)).normalize();
  }

  /** A seekable read-only view of a byte array. */
  private static final class ReadOnlyChannel implements SeekableByteChannel {
    private final byte[] bytes;
    private int position;
    private boolean open = true;

    ReadOnlyChannel(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (position >= bytes.length) {
        return -1;
      }
      int n = Math.min(dst.remaining(), bytes.length - position);
      dst.put(bytes, position, n);
      position += n;
      return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      throw new AccessDeniedException("read-only");
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
      position = (int) Math.min(newPosition, bytes.length);
      return this;
    }

    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
      throw new AccessDeniedException("read-only");
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
