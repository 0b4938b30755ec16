package dev.codemode.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A live jailed worker, inspected from the host through /proc: what it can see and hold. */
class WorkerJailIT {
  private static long pid;

  @BeforeAll
  static void findAWorker() throws Exception {
    WorkerPoolRunner runner = WorkerFixture.runner();
    assertTrue(runner.awaitWarm(120_000));
    pid = WorkerFixture.javaOf(WorkerFixture.idle().get(0)).pid();
  }

  private static String proc(String file) throws IOException {
    return Files.readString(Path.of("/proc/" + pid + "/" + file), StandardCharsets.ISO_8859_1);
  }

  @Test
  void networkNamespaceHasOnlyLoopback() throws IOException {
    List<String> interfaces = new ArrayList<>();
    for (String line : proc("net/dev").split("\n")) {
      if (line.contains(":")) {
        interfaces.add(line.substring(0, line.indexOf(':')).trim());
      }
    }
    assertEquals(List.of("lo"), interfaces);
    assertFalse(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net"))
        .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net"))), "the worker shares the host's network namespace");
  }

  @Test
  void everyCapabilityIsDroppedAndNoNewPrivilegesCanBeGained() throws IOException {
    String status = proc("status");
    assertTrue(status.contains("\nCapEff:\t0000000000000000\n"), status);
    assertTrue(status.contains("\nCapPrm:\t0000000000000000\n"), status);
    assertTrue(status.contains("\nCapAmb:\t0000000000000000\n"), status);
    assertTrue(status.contains("\nNoNewPrivs:\t1\n"), status);
  }

  @Test
  void namespacesDifferFromTheHost() throws IOException {
    for (String ns : List.of("net", "pid", "ipc", "uts", "user", "mnt")) {
      assertFalse(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + ns))
          .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/" + ns))), ns + " namespace is shared with the host");
    }
  }

  @Test
  void environmentHoldsOnlyTheDocumentedVariables() throws IOException {
    Map<String, String> documented = new java.util.HashMap<>(WorkerLauncher.ENVIRONMENT);
    documented.putAll(BwrapJail.ADDED_ENVIRONMENT);
    Set<String> names = new TreeSet<>();
    for (String entry : proc("environ").split("\0")) {
      if (!entry.isEmpty()) {
        String name = entry.substring(0, entry.indexOf('='));
        names.add(name);
        assertEquals(documented.get(name), entry.substring(entry.indexOf('=') + 1), entry);
      }
    }
    assertEquals(new TreeSet<>(documented.keySet()), names);
    for (Map.Entry<String, String> e : System.getenv().entrySet()) {
      if (!WorkerLauncher.ENVIRONMENT.containsKey(e.getKey())) {
        assertFalse(proc("environ").contains(e.getKey() + "=" + e.getValue()),
            "the server's " + e.getKey() + " reached the worker");
      }
    }
  }

  @Test
  void mountViewHasNoHomeNoProjectTreeAndAReadOnlyRoot() throws IOException {
    Path home = Path.of(System.getProperty("user.home")).toRealPath();
    Path project = Path.of("").toAbsolutePath().getParent();
    Path root = Path.of("/proc/" + pid + "/root");
    assertFalse(Files.exists(root.resolve(home.toString().substring(1))), "the host home is visible: " + home);
    assertFalse(Files.exists(root.resolve(project.toString().substring(1))), "the project tree is visible: " + project);
    for (String hidden : List.of("etc/passwd", "etc/shadow", "etc/hosts", "var", "srv", "opt", "home", "root/.m2")) {
      assertFalse(Files.exists(root.resolve(hidden)), "/" + hidden + " is visible in the jail");
    }
    assertTrue(Files.isDirectory(root.resolve("app/cp")), "the class path is mounted under /app/cp");
    for (String line : proc("mountinfo").split("\n")) {
      String mountPoint = line.split(" ")[4];
      assertFalse(mountPoint.startsWith(home.toString()), "mount point under the host home: " + line);
      assertFalse(mountPoint.startsWith(project.toString()), "mount point in the project tree: " + line);
      boolean writable = (" " + line.split(" ")[5] + ",").contains(" rw,");
      if (writable) {
        assertTrue(Set.of("/tmp", "/dev", "/proc").stream().anyMatch(mountPoint::startsWith)
            || mountPoint.startsWith("/dev/"), "writable mount outside /tmp, /dev, /proc: " + line);
      }
    }
  }

  @Test
  void aSeccompFilterIsLoaded() throws IOException {
    String status = proc("status");
    assertTrue(status.contains("\nSeccomp:\t2\n"), "the worker runs under a seccomp filter: " + status);
  }

  @Test
  void theWorkerIsInItsOwnPidsCgroupWhereOneCanBeMade() throws IOException {
    String line = proc("cgroup").lines().filter(l -> l.split(":", 3)[1].contains("pids") || l.startsWith("0::"))
        .findFirst().orElse("");
    org.junit.jupiter.api.Assumptions.assumeTrue(line.contains("/codemode-"),
        "no pids cgroup on this machine (workers are bounded by their pid namespace only): " + proc("cgroup"));
    assertTrue(line.matches(".*/codemode-\\d+-\\d+/w\\d+"), line);
  }

  @Test
  void rlimitsAreSet() throws IOException {
    String limits = proc("limits");
    assertTrue(limits.matches("(?s).*Max processes\\s+" + WorkerLauncher.MAX_PROCESSES + "\\s+"
        + WorkerLauncher.MAX_PROCESSES + ".*"), limits);
    assertTrue(limits.matches("(?s).*Max open files\\s+" + WorkerLauncher.MAX_OPEN_FILES + "\\s+"
        + WorkerLauncher.MAX_OPEN_FILES + ".*"), limits);
    assertTrue(limits.matches("(?s).*Max core file size\\s+0\\s+0.*"), limits);
    assertTrue(limits.matches("(?s).*Max file size\\s+" + WorkerLauncher.MAX_FILE_BYTES + "\\s+.*"), limits);
    assertTrue(limits.matches("(?s).*Max address space\\s+\\d+\\s+.*"), limits);
  }

  @Test
  void theWorkerIsNotTheHostJvmAndHasItsOwnHeapLimit() throws IOException {
    String cmdline = proc("cmdline").replace('\0', ' ');
    assertTrue(cmdline.contains(" -Xmx256m "), cmdline);
    assertTrue(cmdline.contains(" -XX:+ExitOnOutOfMemoryError "), cmdline);
    // The JVM prints "Terminating due to ..." on stdout otherwise, in the middle of the protocol.
    assertTrue(cmdline.contains(" -XX:+DisplayVMOutputToStderr "), cmdline);
    assertTrue(cmdline.contains(" -Dpolyglot.engine.userResourceCache=/tmp/truffle-cache "), cmdline);
    assertTrue(Files.isDirectory(Path.of("/proc/" + pid + "/root/tmp/truffle-cache")));
  }
}
