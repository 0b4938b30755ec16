package dev.codemode.server.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs buildah, podman and mmdebstrap for the image test: each call time-boxed, its output kept for the failure message. */
final class ContainerTool {
  private ContainerTool() {}

  /** The output of a command that ended with exit code 0 within {@code seconds}; else an AssertionError with its output. */
  static String run(long seconds, String... command) throws IOException, InterruptedException {
    Result r = exec(seconds, command);
    if (r.code != 0) {
      throw new AssertionError(String.join(" ", command) + " exited " + r.code + ":\n" + r.output);
    }
    return r.output;
  }

  /** Exit code and output (stdout and stderr together); code -1 when it was killed at the time box. */
  record Result(int code, String output) {}

  static Result exec(long seconds, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("codemode-container", ".out");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        return new Result(-1, "(killed after " + seconds + " s) " + Files.readString(out, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** An executable on PATH, or null. */
  static Path onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** {@code buildah run} in {@code container} as the image's user, with {@code command} after {@code --}. */
  static List<String> inContainer(String container, String... command) {
    return inContainer(container, java.util.Map.of(), command);
  }

  /** As {@link #inContainer(String, String...)}, with {@code env} set for the command. */
  static List<String> inContainer(String container, java.util.Map<String, String> env, String... command) {
    List<String> cmd = new ArrayList<>(List.of("buildah", "run", "--isolation", "chroot"));
    env.forEach((k, v) -> cmd.addAll(List.of("--env", k + "=" + v)));
    cmd.add(container);
    cmd.add("--");
    cmd.addAll(List.of(command));
    return cmd;
  }
}
