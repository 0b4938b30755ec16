package dev.codemode.runtime.vfs;

import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.Set;

/** The name space {@link GuestPath}s belong to: it parses names and has no provider, so no host IO. */
final class GuestNioFileSystem extends FileSystem {
  static final GuestNioFileSystem INSTANCE = new GuestNioFileSystem();

  private GuestNioFileSystem() {}

  @Override
  public FileSystemProvider provider() {
    throw new UnsupportedOperationException("guest paths have no file system provider");
  }

  @Override
  public void close() {
    throw new UnsupportedOperationException("the guest name space cannot be closed");
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public boolean isReadOnly() {
    return true;
  }

  @Override
  public String getSeparator() {
    return "/";
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    return List.of(GuestPath.absolute(List.of()));
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    return List.of();
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return Set.of("basic");
  }

  @Override
  public Path getPath(String first, String... more) {
    StringBuilder sb = new StringBuilder(first);
    for (String m : more) {
      sb.append('/').append(m);
    }
    return GuestPath.parse(sb.toString());
  }

  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    throw new UnsupportedOperationException("no path matchers in the guest name space");
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    throw new UnsupportedOperationException("no principals in the guest name space");
  }

  @Override
  public WatchService newWatchService() {
    throw new UnsupportedOperationException("no watch service in the sandbox");
  }
}
