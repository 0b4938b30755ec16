package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/codemode starts the server JVM with C1 only (it runs no agent code when runs go to workers); in-process
 * isolation runs agent code there, so the server says so and how to get the optimizing compiler back.
 */
class InProcessCompilerIT {
  private static final String WARNING = "CODEMODE_JAVA_OPTS=-XX:TieredStopAtLevel=4";
  @TempDir Path dir;

  @Test
  void inProcessIsolationWarnsThatTheServerJvmRunsWithoutC2() throws Exception {
    String log = run(null);
    assertTrue(log.contains(WARNING), log);
  }

  @Test
  void theWarningGoesWhenTheOptimizingCompilerIsBack() throws Exception {
    String log = run("-XX:TieredStopAtLevel=4");
    assertFalse(log.contains(WARNING), log);
  }

  private String run(String javaOpts) throws Exception {
    Path config = Files.writeString(dir.resolve("codemode.yaml"), "runtime:\n  isolation: in-process\n");
    Path script = Files.writeString(dir.resolve("fib.js"), "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) }\nreturn fib(15)");
    Path out = dir.resolve("out.json");
    Path err = dir.resolve("err.txt");
    ProcessBuilder pb = new ProcessBuilder(TsClient.repoRoot().resolve("bin/codemode").toString(), "run",
        "--config", config.toString(), script.toString()).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("CODEMODE_NO_BUILD", "1");
    if (javaOpts != null) {
      pb.environment().put("CODEMODE_JAVA_OPTS", javaOpts);
    }
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bin/codemode run did not end");
    String log = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), log);
    assertEquals(610, new ObjectMapper().readTree(out.toFile()).get("result").asInt(), log);
    return log;
  }
}
