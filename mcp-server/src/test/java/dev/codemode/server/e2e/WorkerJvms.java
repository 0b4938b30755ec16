package dev.codemode.server.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The worker JVMs among a server's descendant processes, read from {@code /proc}. */
final class WorkerJvms {
  private WorkerJvms() {}

  /** Pids of the worker JVMs that take runs (the class-archive training worker, which takes none, left out). */
  static Set<Long> taking(Stream<ProcessHandle> processes) {
    Set<Long> pids = new TreeSet<>();
    processes.forEach(p -> {
      String line = cmdline(p);
      if (line.startsWith("/") && line.split(" ")[0].endsWith("/java") && line.contains("worker.WorkerMain")
          && !line.contains("-XX:ArchiveClassesAtExit")) {
        pids.add(p.pid());
      }
    });
    return pids;
  }

  /** Pids of class-archive training workers. */
  static Set<Long> training(Stream<ProcessHandle> processes) {
    Set<Long> pids = new TreeSet<>();
    processes.forEach(p -> {
      String line = cmdline(p);
      if (line.split(" ")[0].endsWith("/java") && line.contains("-XX:ArchiveClassesAtExit")) {
        pids.add(p.pid());
      }
    });
    return pids;
  }

  private static String cmdline(ProcessHandle p) {
    try {
      return Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' ');
    } catch (IOException e) {
      return ""; // Gone meanwhile.
    }
  }
}
