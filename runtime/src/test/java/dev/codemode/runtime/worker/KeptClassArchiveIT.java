package dev.codemode.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.Profile;
import dev.codemode.runtime.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workers' class archive kept beside the jar: a trained archive is copied there, a later launcher
 * starts its workers from it without training, and one older than the class path is not used.
 */
class KeptClassArchiveIT {
  private static final Profile WARM = TestRuns.profile(TestRuns.limits());

  @Test
  void aKeptArchiveIsUsedWithoutTrainingUntilTheClassPathIsNewer(@TempDir Path dir) throws Exception {
    List<Path> jars = WorkerClasspath.current().stream().filter(p -> p.toString().endsWith(".jar")).toList();
    Path javaHome = Path.of(System.getProperty("java.home"));
    Path prlimit = WorkerLauncher.findTool("prlimit");
    Path named = dir.resolve("worker.jsa");
    Path kept = dir.resolve("unjailed-worker.jsa"); // unjailed workers keep their own (their class path differs)
    String before = System.getProperty(ClassArchive.KEPT_PROPERTY);
    System.setProperty(ClassArchive.KEPT_PROPERTY, named.toString());
    try {
      try (WorkerLauncher first = new WorkerLauncher(javaHome, jars, prlimit, null, WARM)) {
        assertFalse(first.archiveReady());
        assertTrue(first.train(256), "the training worker wrote no archive");
      }
      assertTrue(Files.size(kept) > 0, "the trained archive was not kept");
      assertTrue(Files.getPosixFilePermissions(kept).stream().noneMatch(p -> p.name().endsWith("_WRITE")),
          "the kept archive is writable: " + Files.getPosixFilePermissions(kept));

      try (WorkerLauncher later = new WorkerLauncher(javaHome, jars, prlimit, null, WARM)) {
        assertTrue(later.archiveReady(), "a fresh kept archive was not used");
        WorkerProcess w = later.start(256);
        try {
          String cmdline = Files.readString(Path.of("/proc/" + w.pid() + "/cmdline")).replace('\0', ' ');
          assertTrue(cmdline.contains("-XX:SharedArchiveFile=" + kept), cmdline);
          w.awaitReady(120_000);
        } finally {
          w.kill();
        }
      }

      Files.setLastModifiedTime(kept, FileTime.fromMillis(0));
      try (WorkerLauncher stale = new WorkerLauncher(javaHome, jars, prlimit, null, WARM)) {
        assertFalse(stale.archiveReady(), "an archive older than the class path was used");
      }
    } finally {
      if (before == null) {
        System.clearProperty(ClassArchive.KEPT_PROPERTY);
      } else {
        System.setProperty(ClassArchive.KEPT_PROPERTY, before);
      }
    }
  }
}
