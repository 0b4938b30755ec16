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
 *
 * <p>A launcher may name a kept copy ({@link #KEPT_PROPERTY}, next to the server's jar, so it is exactly as
 * writable as the jar): a kept copy newer than every class path entry is used from the start, with no
 * training (a one-shot {@code run} and every later server start from it), and a newly trained archive is
 * copied there.
 */
final class ClassArchive implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ClassArchive.class.getName());
  /** Where the archive appears inside the jail. */
  static final String IN_JAIL = "/cds/worker.jsa";
  /** The system property naming the kept copy of the archive (set by {@code bin/codemode}). */
  static final String KEPT_PROPERTY = "codemode.worker.archive";
  private final Path dir;
  private final Path trained;
  private final Path kept;
  private volatile Path usable;

  /** {@code kept}: the kept copy, or null; used when it is newer than every entry of {@code classpath}. */
  ClassArchive(Path kept, List<Path> classpath) throws IOException {
    this.dir = Files.createTempDirectory("codemode-cds-", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    this.trained = dir.resolve("worker.jsa");
    this.kept = kept;
    if (kept != null && fresh(kept, classpath)) {
      usable = kept;
    }
  }

  /** The kept copy the launcher names, or null. */
  static Path keptByLauncher() {
    String p = System.getProperty(KEPT_PROPERTY, "");
    return p.isEmpty() ? null : Path.of(p);
  }

  private static boolean fresh(Path archive, List<Path> classpath) {
    try {
      if (!Files.isRegularFile(archive, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.size(archive) == 0) {
        return false;
      }
      long made = Files.getLastModifiedTime(archive).toMillis();
      for (Path p : classpath) {
        if (Files.getLastModifiedTime(p).toMillis() >= made) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  boolean ready() {
    return usable != null;
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

  /** The archive workers map (null until there is one). */
  Path file() {
    return usable;
  }

  /** Where the training worker writes the archive. */
  Path trainingFile() {
    return trained;
  }

  /** Bind arguments that show the finished archive read-only inside the jail. */
  List<String> readOnlyBind() {
    return List.of("--ro-bind", usable.toString(), IN_JAIL);
  }

  /** Bind arguments that let the training worker write the archive. */
  List<String> writableBind() {
    return List.of("--bind", dir.toString(), IN_JAIL.substring(0, IN_JAIL.lastIndexOf('/')));
  }

  /** Marks the archive usable when the training worker left one behind; makes it read-only. */
  boolean accept() throws IOException {
    if (Files.isRegularFile(trained) && Files.size(trained) > 0) {
      trained.toFile().setWritable(false, false);
      usable = trained;
      keep();
    }
    return ready();
  }

  /** Copies the trained archive to the kept place (a whole file or nothing); where that fails, only this server has it. */
  private void keep() {
    if (kept == null) {
      return;
    }
    Path tmp = kept.resolveSibling(kept.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      Files.copy(trained, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      tmp.toFile().setWritable(false, false);
      Files.move(tmp, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.log(System.Logger.Level.DEBUG, "the worker class archive is not kept at {0}: {1}", kept, e.toString());
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // Nothing else to do: a stray temp file next to the jar.
      }
    }
  }

  @Override
  public void close() {
    usable = null;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // A temp folder left behind; nothing secret is in it.
    }
  }
}
