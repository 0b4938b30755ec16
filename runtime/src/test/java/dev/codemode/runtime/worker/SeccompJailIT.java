package dev.codemode.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.runtime.TestRuns;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A probe compiled with gcc at test time runs inside the jail every worker gets (the launcher's own
 * command: sh, prlimit, bwrap with the seccomp program, the pids cgroup) and makes each denied system call.
 */
class SeccompJailIT {
  private static Path dir;
  private static Path probe;
  private static WorkerLauncher launcher;

  @BeforeAll
  static void build() throws Exception {
    if (WorkerLauncher.findTool("gcc") == null) {
      System.err.println("!!! SeccompJailIT SKIPPED: gcc is missing, the syscall probe cannot be built (apt-get install gcc libc6-dev)");
      Assumptions.abort("gcc is missing: the syscall probe cannot be built");
    }
    dir = Files.createTempDirectory("codemode-probe");
    Path source = dir.resolve("syscall-probe.c");
    try (InputStream in = SeccompJailIT.class.getResourceAsStream("syscall-probe.c")) {
      Files.copy(in, source);
    }
    probe = dir.resolve("probe");
    // Static when libc.a is there, so the probe needs nothing the jail does not bind; else dynamic (libc is bound).
    if (gcc(List.of("-static")) != 0) {
      assertEquals(0, gcc(List.of()), "gcc could not build the probe");
    }
    Path javaHome = Path.of(System.getProperty("java.home"));
    List<Path> classpath = WorkerClasspath.current();
    Path prlimit = WorkerLauncher.findTool("prlimit");
    launcher = new WorkerLauncher(javaHome, classpath, prlimit, Runners.jail(true, javaHome, classpath, null, prlimit),
        TestRuns.profile(TestRuns.limits()));
  }

  private static int gcc(List<String> extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("gcc", "-O1"));
    cmd.addAll(extra);
    cmd.addAll(List.of("-o", probe.toString(), dir.resolve("syscall-probe.c").toString(), "-lpthread"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    if (code != 0) {
      System.err.println("gcc " + extra + ": " + out);
    }
    return code;
  }

  @AfterAll
  static void clean() throws Exception {
    if (launcher != null) {
      launcher.close();
    }
    if (dir != null) {
      try (var s = Files.list(dir)) {
        for (Path p : s.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  /** Runs the probe in the workers' jail; its lines as name → outcome. */
  private static Map<String, String> probe(Path procs, String... args) throws Exception {
    List<String> inside = new ArrayList<>(List.of("/probe"));
    inside.addAll(List.of(args));
    List<String> cmd = launcher.enclose(List.of("--ro-bind", probe.toString(), "/probe"), procs, 256, inside);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().clear();
    pb.environment().putAll(WorkerLauncher.ENVIRONMENT);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    Map<String, String> lines = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0) {
        lines.put(line.substring(0, space), line.substring(space + 1));
      }
    }
    return lines;
  }

  @Test
  void eachDeniedCallFailsInsideTheWorkersJailAndWhatTheJvmNeedsStillWorks() throws Exception {
    Map<String, String> seen = probe(null);
    Map<String, String> expected = new LinkedHashMap<>();
    for (String denied : List.of("ptrace", "mount", "umount2", "bpf", "keyctl", "add_key", "request_key", "userfaultfd",
        "perf_event_open", "io_uring_setup", "io_uring_enter", "io_uring_register", "unshare", "setns", "clone_newuser",
        "clone_newns", "clone_newnet", "clone_newpid", "socket_inet", "socket_inet6", "socket_netlink", "socket_packet",
        "socket_vsock", "socketpair_inet")) {
      expected.put(denied, "EPERM");
    }
    expected.put("clone3", "ENOSYS");
    for (String allowed : List.of("socket_unix", "socketpair_unix", "thread", "fork")) {
      expected.put(allowed, "ok");
    }
    assertEquals(expected, seen);
  }

  @Test
  void aForkBombInsideAWorkerStopsAtItsPidsLimit() throws Exception {
    PidsCgroup pids = launcher.pids();
    if (pids == null) {
      System.err.println("!!! SeccompJailIT: no pids cgroup can be made on this machine; the fork limit is not tested here");
      Assumptions.abort("no pids cgroup can be made here");
    }
    Path procs = pids.enter();
    try {
      String forks = probe(procs, "forks").get("forks");
      assertNotNull(forks, "the probe reported no fork count");
      String[] f = forks.split(" ");
      assertTrue(Integer.parseInt(f[0]) < WorkerLauncher.MAX_TASKS, "forks before the limit: " + forks);
      assertEquals("EAGAIN", f[1], forks);
    } finally {
      Thread.sleep(200);
      pids.leave(procs);
    }
  }
}
