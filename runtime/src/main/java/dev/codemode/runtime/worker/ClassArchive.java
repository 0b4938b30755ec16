package dev.codemode.runtime.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * An AppCDS archive of the classes a worker loads while it warms up, so later workers start in about
 * half the time and CPU. One training worker (running only the warm-up, never agent code) writes it at
 * exit into a private folder of this server process; workers map it read-only. A missing or mismatched
 * archive only costs speed: the JVM then starts without it.
 */
final class ClassArchive implements AutoCloseable {
  /** Where the archive appears inside the jail. */
  static final String IN_JAIL = "/cds/worker.jsa";
  private final Path dir;
  private final Path file;
  private volatile boolean ready;

  ClassArchive() throws IOException {
    this.dir = Files.createTempDirectory("codemode-cds-", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    this.file = dir.resolve("worker.jsa");
  }

  boolean ready() {
    return ready;
  }

  /** The JVM flag that maps the archive, for a worker whose view holds it at {@code path}. */
  static String useFlag(String path) {
    return "-XX:SharedArchiveFile=" + path;
  }

  static String dumpFlag(String path) {
    return "-XX:ArchiveClassesAtExit=" + path;
  }

  Path dir() {
    return dir;
  }

  Path file() {
    return file;
  }

  /** Bind arguments that show the finished archive read-only inside the jail. */
  List<String> readOnlyBind() {
    return List.of("--ro-bind", file.toString(), IN_JAIL);
  }

  /** Bind arguments that let the training worker write the archive. */
  List<String> writableBind() {
    return List.of("--bind", dir.toString(), IN_JAIL.substring(0, IN_JAIL.lastIndexOf('/')));
  }

  /** Marks the archive usable when the training worker left one behind; makes it read-only. */
  boolean accept() throws IOException {
    if (Files.isRegularFile(file) && Files.size(file) > 0) {
      file.toFile().setWritable(false, false);
      ready = true;
    }
    return ready;
  }

  @Override
  public void close() {
    ready = false;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // A temp folder left behind; nothing secret is in it.
    }
  }
}
