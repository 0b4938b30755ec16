package dev.codemode.bindings;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Node.js and the testkit's TypeScript compiler for tests; a missing toolchain fails the test. */
final class NodeTool {

  /** Exit status and combined output of one process. */
  record Result(int exitCode, String output) {}

  private NodeTool() {}

  /** The repository root: the first ancestor of the working directory that holds {@code testkit/}. */
  static Path repoRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("testkit/package.json"))) {
        return dir;
      }
    }
    return fail("no testkit/ directory above " + Path.of("").toAbsolutePath());
  }

  /** The testkit's tsc entry point; fails with a hint when the testkit is not installed. */
  static Path tsc() {
    Path tsc = repoRoot().resolve("testkit/node_modules/typescript/bin/tsc");
    if (!Files.isRegularFile(tsc)) {
      fail("TypeScript is not installed in the testkit: run `bash testkit/install.sh` (needs npm)");
    }
    return tsc;
  }

  /** The directory of the test's node helper scripts (src/test/resources/node). */
  static Path scripts() {
    return Path.of("src/test/resources/node").toAbsolutePath();
  }

  private static java.io.File nullDevice() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  /** Runs {@code node args...} in {@code dir}; fails clearly if node cannot be started or hangs. */
  static Result node(Path dir, List<String> args) throws InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("node");
    command.addAll(args);
    Path log;
    Process process;
    try {
      log = Files.createTempFile("codemode-node", ".log");
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullDevice())).start();
    } catch (IOException e) {
      return fail("Node.js is required for this test but `node` could not be started (" + e.getMessage()
          + "); install Node.js 20+ and put it on PATH");
    }
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return fail("node " + args + " did not finish within 120 s");
    }
    try {
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Files.delete(log);
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      return fail("cannot read node output: " + e);
    }
  }
}
