package dev.codemode.server.blob;

import dev.codemode.server.audit.OwnerOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Blobs as files in a folder on this host, owner-only; each written to a temporary file and renamed into place. */
public final class LocalBlobStore implements BlobStore {
  private final Path dir;

  public LocalBlobStore(Path dir) {
    this.dir = dir;
  }

  @Override
  public void put(String folder, String name, byte[] bytes) throws IOException {
    OwnerOnly.folder(dir);
    Path sub = Files.createDirectories(dir.resolve(folder));
    Path tmp = Files.createTempFile(sub, "tmp", ".part");
    try {
      Files.write(tmp, bytes);
      Files.move(tmp, sub.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public Optional<byte[]> get(String folder, String name) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(dir.resolve(folder).resolve(name)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<String> folders() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
    }
  }

  @Override
  public void deleteFolder(String folder) throws IOException {
    Path sub = dir.resolve(folder);
    if (!Files.isDirectory(sub)) {
      return;
    }
    try (Stream<Path> s = Files.list(sub)) {
      for (Path p : s.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(sub);
  }

  @Override
  public String describe() {
    return dir.toString();
  }
}
