package dev.codemode.runtime.vfs;

import dev.codemode.policies.Printable;
import dev.codemode.policies.fs.VirtualPath;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The polyglot {@link FileSystem} of a run's context: what GraalJS uses to load ES modules. It
 * reads through {@link ModuleFiles} (the run's {@link VirtualFiles}: same mounts, same checks, same journal) and refuses every
 * write. It also serves virtual modules by specifier: {@code node:fs/promises},
 * {@code fs/promises} and {@code codemode:bridge} (for generated bindings) are built in, more can be added with {@link #registerModule}. Paths are
 * {@link GuestPath}s: relative ones start at {@code /workspace}, never at the JVM's directory.
 */
public final class SandboxFileSystem implements FileSystem {
  /** The virtual folder virtual modules live under; it is in no mount, so fs calls cannot reach it. */
  public static final String MODULE_ROOT = "/@modules";
  /** Where the agent's own ES module is served from: relative imports in it resolve against /workspace. */
  public static final String MAIN_MODULE = "/workspace/agent.mjs";

  private static final String FS_MODULE = String.join("\n",
      "const fs = globalThis.fs;",
      "if (typeof fs !== 'object' || fs === null) { throw new Error('fs is not available in this sandbox'); }",
      "export const readFile = fs.readFile;",
      "export const writeFile = fs.writeFile;",
      "export const appendFile = fs.appendFile;",
      "export const readdir = fs.readdir;",
      "export const stat = fs.stat;",
      "export const mkdir = fs.mkdir;",
      "export const rm = fs.rm;",
      "export default fs;",
      "");

  /** What generated bindings ({@code servers/<server>/index.js}) import: {@code callTool(server, tool, args)}. */
  private static final String BRIDGE_MODULE = String.join("\n",
      "const codemode = globalThis.codemode;",
      "if (typeof codemode !== 'object' || codemode === null || typeof codemode.callTool !== 'function') {",
      "  throw new Error('codemode:bridge is not available in this sandbox');",
      "}",
      "export const callTool = codemode.callTool;",
      "");

  private final ModuleFiles files;
  private final long maxModuleBytes;
  private final Map<String, GuestPath> specifiers = new HashMap<>();
  private final Map<GuestPath, byte[]> modules = new HashMap<>();

  /** {@code maxModuleBytes} caps the size of one module file read from a mount. */
  public SandboxFileSystem(ModuleFiles files, long maxModuleBytes) {
    this.files = files;
    this.maxModuleBytes = maxModuleBytes;
    registerModule("node:fs/promises", FS_MODULE);
    registerModule("fs/promises", FS_MODULE);
    registerModule("codemode:bridge", BRIDGE_MODULE);
  }

  /**
   * Serves {@code source} as the ES module imported by exactly {@code specifier}: a bare name
   * ({@code servers/github/index.js}) or a scheme name ({@code codemode:bridge}). Its relative
   * imports resolve among the other virtual modules. Replaces an earlier registration.
   */
  public synchronized void registerModule(String specifier, String source) {
    if (specifier == null || specifier.isEmpty() || specifier.length() > 1024 || specifier.startsWith("/")
        || specifier.startsWith("./") || specifier.startsWith("../")) {
      throw new IllegalArgumentException("module specifier must be a bare or scheme name: " + specifier);
    }
    String pathText = MODULE_ROOT + "/" + specifier;
    VirtualPath parsed = VirtualPath.parse(pathText);
    if (!parsed.toString().equals(pathText)) {
      throw new IllegalArgumentException("module specifier must not hold empty, '.' or '..' segments: " + specifier);
    }
    GuestPath path = GuestPath.absolute(parsed.segments());
    specifiers.put(specifier, path);
    modules.put(path, source.getBytes(StandardCharsets.UTF_8));
  }

  /** Serves the agent's own module at {@link #MAIN_MODULE}, to the module loader only: fs calls never see it. */
  public synchronized void serveMainModule(String source) {
    modules.put(GuestPath.parse(MAIN_MODULE), source.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Path parsePath(URI uri) {
    GuestPath module = moduleBySpecifier(uri.toString());
    if (module != null) {
      return module;
    }
    if (!"file".equals(uri.getScheme()) || uri.getRawAuthority() != null || uri.getRawQuery() != null
        || uri.getRawFragment() != null || uri.getPath() == null || !uri.getPath().startsWith("/")) {
      throw new UnsupportedOperationException("unsupported module URI: " + Printable.of(uri.toString()));
    }
    return GuestPath.parse(uri.getPath());
  }

  @Override
  public Path parsePath(String path) {
    GuestPath module = moduleBySpecifier(path);
    return module != null ? module : GuestPath.parse(path);
  }

  @Override
  public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
    if (modes.contains(AccessMode.WRITE) || modes.contains(AccessMode.EXECUTE)) {
      throw refuse(path, "access", "module loading is read-only");
    }
    if (module(path) == null) {
      stat(path, "access");
    }
  }

  @Override
  public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
      throws IOException {
    for (OpenOption o : options) {
      if (o != StandardOpenOption.READ) {
        throw refuse(path, "open", "module loading is read-only");
      }
    }
    byte[] module = module(path);
    if (module != null) {
      return new BytesChannel(module);
    }
    try {
      return new BytesChannel(files.readFile(raw(path), maxModuleBytes));
    } catch (FsException e) {
      throw ioError(e, path);
    }
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
      throws IOException {
    List<Path> children = new ArrayList<>();
    try {
      for (DirEntry e : files.readdir(raw(dir))) {
        Path child = guest(dir).toAbsolutePath().resolve(e.name());
        if (filter.accept(child)) {
          children.add(child);
        }
      }
    } catch (FsException e) {
      throw ioError(e, dir);
    }
    return new DirectoryStream<>() {
      @Override
      public Iterator<Path> iterator() {
        return children.iterator();
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public Path toAbsolutePath(Path path) {
    return guest(path).toAbsolutePath();
  }

  @Override
  public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
    if (module(path) != null) {
      return guest(path).toAbsolutePath().normalize();
    }
    stat(path, "realpath");
    // The virtual path is the real path for the guest: host folders and symlinks stay hidden.
    return GuestPath.absolute(VirtualPath.parse(raw(path)).segments());
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
    String names = attributes;
    int colon = attributes.indexOf(':');
    if (colon >= 0) {
      if (!attributes.substring(0, colon).equals("basic")) {
        throw new UnsupportedOperationException("only basic attributes in the sandbox");
      }
      names = attributes.substring(colon + 1);
    }
    byte[] module = module(path);
    FileStat stat = module != null ? new FileStat(NodeKind.FILE, module.length, 0) : stat(path, "stat");
    FileTime mtime = FileTime.fromMillis(stat.mtimeMs());
    Map<String, Object> all = new HashMap<>();
    all.put("lastModifiedTime", mtime);
    all.put("lastAccessTime", mtime);
    all.put("creationTime", mtime);
    all.put("size", stat.size());
    all.put("isRegularFile", stat.kind() == NodeKind.FILE);
    all.put("isDirectory", stat.kind() == NodeKind.DIRECTORY);
    all.put("isSymbolicLink", false);
    all.put("isOther", stat.kind() == NodeKind.OTHER);
    all.put("fileKey", null);
    if (names.equals("*")) {
      return all;
    }
    Map<String, Object> out = new HashMap<>();
    for (String name : names.split(",")) {
      if (!all.containsKey(name)) {
        throw new IllegalArgumentException("unknown attribute " + name);
      }
      out.put(name, all.get(name));
    }
    return out;
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    throw refuse(dir, "mkdir", "module loading is read-only");
  }

  @Override
  public void delete(Path path) throws IOException {
    throw refuse(path, "rm", "module loading is read-only");
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) throws IOException {
    throw refuse(target, "copyfile", "module loading is read-only");
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    throw refuse(target, "rename", "module loading is read-only");
  }

  @Override
  public void createLink(Path link, Path existing) throws IOException {
    throw refuse(link, "link", "module loading is read-only");
  }

  @Override
  public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
    throw refuse(link, "symlink", "module loading is read-only");
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
    throw refuse(path, "setattr", "module loading is read-only");
  }

  @Override
  public void setCurrentWorkingDirectory(Path currentWorkingDirectory) {
    throw new UnsupportedOperationException("the working directory is /workspace");
  }

  /** Whether a module is served under exactly {@code specifier}. */
  public boolean serves(String specifier) {
    return moduleBySpecifier(specifier) != null;
  }

  /** The specifiers modules are served under, in name order. */
  public synchronized List<String> specifiers() {
    return specifiers.keySet().stream().sorted().toList();
  }

  private synchronized GuestPath moduleBySpecifier(String specifier) {
    return specifiers.get(specifier);
  }

  private synchronized byte[] module(Path path) {
    return modules.get(guest(path).toAbsolutePath().normalize());
  }

  private FileStat stat(Path path, String syscall) throws IOException {
    try {
      return files.stat(raw(path));
    } catch (FsException e) {
      throw ioError(e, path);
    }
  }

  private IOException refuse(Path path, String syscall, String rule) {
    FsException e = files.refuse(raw(path), "EROFS", syscall, rule);
    return new AccessDeniedException(raw(path), null, e.getMessage());
  }

  private static IOException ioError(FsException e, Path path) {
    String shown = raw(path);
    switch (e.code()) {
      case "ENOENT":
        return new NoSuchFileException(shown);
      case "EACCES":
      case "EROFS":
        return new AccessDeniedException(shown, null, e.getMessage());
      default:
        return new FileSystemException(shown, null, e.getMessage());
    }
  }

  private static GuestPath guest(Path path) {
    if (path instanceof GuestPath g) {
      return g;
    }
    throw new java.nio.file.ProviderMismatchException("not a guest path");
  }

  private static String raw(Path path) {
    return guest(path).toAbsolutePath().toString();
  }

  /** A read-only channel over a byte array. */
  private static final class BytesChannel implements SeekableByteChannel {
    private final byte[] data;
    private int position;
    private boolean open = true;

    BytesChannel(byte[] data) {
      this.data = data;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (position >= data.length) {
        return -1;
      }
      int n = Math.min(dst.remaining(), data.length - position);
      dst.put(data, position, n);
      position += n;
      return n;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new NonWritableChannelException();
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
      position = (int) Math.min(Math.max(0, newPosition), data.length);
      return this;
    }

    @Override
    public long size() {
      return data.length;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      throw new NonWritableChannelException();
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
