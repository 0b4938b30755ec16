package dev.codemode.runtime.vfs;

import dev.codemode.policies.Printable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link Path} of the guest's virtual name space, handed to GraalJS by {@link SandboxFileSystem}.
 * Pure names: no method touches the host, a relative path is taken relative to {@code /workspace},
 * and {@link #toUri()} is a {@code file:} URI of the virtual path. Host file APIs fail on it
 * because its file system has no provider.
 */
final class GuestPath implements Path {
  private static final List<String> WORKSPACE = List.of("workspace");

  private final boolean absolute;
  private final List<String> names;

  private GuestPath(boolean absolute, List<String> names) {
    this.absolute = absolute;
    this.names = List.copyOf(names);
  }

  static GuestPath parse(String text) {
    if (text.indexOf('\0') >= 0) {
      throw new InvalidPathException(Printable.of(text), "NUL in path");
    }
    List<String> names = new ArrayList<>();
    for (String s : text.split("/")) {
      if (!s.isEmpty()) {
        names.add(s);
      }
    }
    return new GuestPath(text.startsWith("/"), names);
  }

  static GuestPath absolute(List<String> names) {
    return new GuestPath(true, names);
  }

  @Override
  public GuestNioFileSystem getFileSystem() {
    return GuestNioFileSystem.INSTANCE;
  }

  @Override
  public boolean isAbsolute() {
    return absolute;
  }

  @Override
  public Path getRoot() {
    return absolute ? new GuestPath(true, List.of()) : null;
  }

  @Override
  public Path getFileName() {
    return names.isEmpty() ? null : new GuestPath(false, List.of(names.get(names.size() - 1)));
  }

  @Override
  public Path getParent() {
    if (names.isEmpty() || (!absolute && names.size() == 1)) {
      return null;
    }
    return new GuestPath(absolute, names.subList(0, names.size() - 1));
  }

  @Override
  public int getNameCount() {
    return names.size();
  }

  @Override
  public Path getName(int index) {
    return new GuestPath(false, List.of(names.get(index)));
  }

  @Override
  public Path subpath(int beginIndex, int endIndex) {
    if (beginIndex < 0 || endIndex > names.size() || beginIndex >= endIndex) {
      throw new IllegalArgumentException("bad subpath range");
    }
    return new GuestPath(false, names.subList(beginIndex, endIndex));
  }

  @Override
  public boolean startsWith(Path other) {
    GuestPath o = cast(other);
    return o.absolute == absolute && names.size() >= o.names.size()
        && names.subList(0, o.names.size()).equals(o.names);
  }

  @Override
  public boolean endsWith(Path other) {
    GuestPath o = cast(other);
    if (o.absolute) {
      return equals(o);
    }
    return names.size() >= o.names.size() && names.subList(names.size() - o.names.size(), names.size()).equals(o.names);
  }

  @Override
  public GuestPath normalize() {
    List<String> out = new ArrayList<>();
    for (String s : names) {
      if (s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
          out.remove(out.size() - 1);
          continue;
        }
        if (absolute) {
          continue;
        }
      }
      out.add(s);
    }
    return new GuestPath(absolute, out);
  }

  @Override
  public Path resolve(Path other) {
    GuestPath o = cast(other);
    if (o.absolute) {
      return o;
    }
    List<String> joined = new ArrayList<>(names);
    joined.addAll(o.names);
    return new GuestPath(absolute, joined);
  }

  @Override
  public Path relativize(Path other) {
    GuestPath o = cast(other);
    if (o.absolute != absolute) {
      throw new IllegalArgumentException("cannot relativize between absolute and relative paths");
    }
    int common = 0;
    while (common < names.size() && common < o.names.size() && names.get(common).equals(o.names.get(common))) {
      common++;
    }
    List<String> out = new ArrayList<>();
    for (int i = common; i < names.size(); i++) {
      out.add("..");
    }
    out.addAll(o.names.subList(common, o.names.size()));
    return new GuestPath(false, out);
  }

  @Override
  public URI toUri() {
    try {
      return new URI("file", "", toAbsolutePath().toString(), null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("virtual path without a URI form", e);
    }
  }

  @Override
  public GuestPath toAbsolutePath() {
    if (absolute) {
      return this;
    }
    List<String> joined = new ArrayList<>(WORKSPACE);
    joined.addAll(names);
    return new GuestPath(true, joined);
  }

  @Override
  public Path toRealPath(LinkOption... options) {
    throw new UnsupportedOperationException("resolve guest paths through SandboxFileSystem");
  }

  @Override
  public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
    throw new UnsupportedOperationException("no watch service in the sandbox");
  }

  @Override
  public int compareTo(Path other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GuestPath p && p.absolute == absolute && p.names.equals(names);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new Object[] {absolute, names});
  }

  @Override
  public String toString() {
    String joined = String.join("/", names);
    return absolute ? "/" + joined : joined;
  }

  private static GuestPath cast(Path other) {
    if (other instanceof GuestPath p) {
      return p;
    }
    throw new java.nio.file.ProviderMismatchException("not a guest path");
  }
}
