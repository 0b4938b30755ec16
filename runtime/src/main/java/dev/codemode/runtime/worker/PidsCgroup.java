package dev.codemode.runtime.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pids cgroup per worker: {@code pids.max} caps the tasks (processes and threads) of one worker and all
 * it starts, so a fork bomb meets {@code EAGAIN} inside its own worker. RLIMIT_NPROC cannot do this here:
 * it counts per user, and a server running as root maps the jail's uid to root, whose processes it exempts.
 * Made where this process may create cgroups: the cgroup v1 {@code pids} hierarchy, or cgroup v2 when
 * this process's own cgroup delegates the {@code pids} controller. Elsewhere (most containers) there is
 * none: {@link #create} answers null and the pod's or container's pids limit is the bound.
 */
final class PidsCgroup implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PidsCgroup.class.getName());
  private static final Path ROOT = Path.of("/sys/fs/cgroup");
  private static final AtomicInteger LAUNCHERS = new AtomicInteger();
  private final Path parent;
  private final int maxPids;
  private final AtomicInteger next = new AtomicInteger();

  private PidsCgroup(Path parent, int maxPids) {
    this.parent = parent;
    this.maxPids = maxPids;
  }

  /** A folder for this server's workers, each capped at {@code maxPids} tasks; null when no pids cgroup can be made here. */
  static PidsCgroup create(int maxPids) {
    for (Path base : candidates()) {
      sweep(base);
      Path parent = base.resolve("codemode-" + ProcessHandle.current().pid() + "-" + LAUNCHERS.incrementAndGet());
      try {
        Files.createDirectories(parent);
        PidsCgroup cg = new PidsCgroup(parent, maxPids);
        cg.leave(cg.enter()); // proves a worker's cgroup can be made and capped
        return cg;
      } catch (IOException | RuntimeException e) {
        try {
          Files.deleteIfExists(parent);
        } catch (IOException ignored) {
          // Nothing was made.
        }
      }
    }
    LOG.log(System.Logger.Level.INFO, "no pids cgroup can be made here: workers are not capped in tasks by this server");
    return null;
  }

  /** Removes the (empty) cgroups of servers that are gone: a server killed outright cannot remove its own. */
  private static void sweep(Path base) {
    try (var s = Files.list(base)) {
      for (Path p : s.filter(Files::isDirectory).toList()) {
        String name = p.getFileName().toString();
        if (name.matches("codemode-\\d+-\\d+")
            && ProcessHandle.of(Long.parseLong(name.split("-")[1])).map(h -> !h.isAlive()).orElse(true)) {
          removeTree(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "cannot sweep {0}: {1}", base, e.toString());
    }
  }

  /** Removes a cgroup and its children (cgroup folders are removed with rmdir once their tasks are gone). */
  private static boolean removeTree(Path dir) {
    if (!Files.isDirectory(dir)) {
      return true;
    }
    try (var s = Files.list(dir)) {
      for (Path p : s.filter(Files::isDirectory).toList()) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The cgroup folders of this process's pids controller: the v1 hierarchy, then v2. */
  private static List<Path> candidates() {
    try {
      Path v1 = null;
      Path v2 = null;
      for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8)) {
        String[] f = line.split(":", 3);
        if (f.length < 3) {
          continue;
        }
        String rel = f[2].startsWith("/") ? f[2].substring(1) : f[2];
        if (List.of(f[1].split(",")).contains("pids") && Files.isDirectory(ROOT.resolve("pids"))) {
          v1 = ROOT.resolve("pids").resolve(rel);
        } else if (f[0].equals("0") && f[1].isEmpty() && Files.isRegularFile(ROOT.resolve("cgroup.controllers"))) {
          v2 = ROOT.resolve(rel);
        }
      }
      return java.util.stream.Stream.of(v1, v2).filter(java.util.Objects::nonNull).toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** Makes a new worker's cgroup, capped; returns its {@code cgroup.procs}, where the worker's launcher writes its pid. */
  Path enter() throws IOException {
    Path dir = parent.resolve("w" + next.incrementAndGet());
    Files.createDirectory(dir);
    try {
      Files.writeString(dir.resolve("pids.max"), Integer.toString(maxPids));
    } catch (IOException e) {
      Files.deleteIfExists(dir);
      throw e;
    }
    return dir.resolve("cgroup.procs");
  }

  /**
   * Removes the cgroup of {@code procs} once its worker has gone: the worker's last tasks (bwrap, sh) may
   * outlive its JVM by a moment, so an rmdir that finds it busy is tried again a few times.
   */
  void leave(Path procs) {
    leave(procs.getParent(), 20);
  }

  private static void leave(Path dir, int triesLeft) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      if (triesLeft > 0) {
        java.util.concurrent.CompletableFuture.runAsync(() -> leave(dir, triesLeft - 1),
            java.util.concurrent.CompletableFuture.delayedExecutor(100, java.util.concurrent.TimeUnit.MILLISECONDS));
      } else {
        LOG.log(System.Logger.Level.DEBUG, "cannot remove worker cgroup {0}: {1}", dir, e.toString());
      }
    }
  }

  int maxPids() {
    return maxPids;
  }

  String describe() {
    return "pids cgroup " + parent + " (" + maxPids + " tasks per worker)";
  }

  /** Removes this server's cgroups, waiting up to 2 s for the tasks of workers being killed to go. */
  @Override
  public void close() {
    for (int i = 0; i < 20 && !removeTree(parent); i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
