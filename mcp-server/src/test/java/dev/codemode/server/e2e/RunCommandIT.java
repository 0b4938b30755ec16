package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/codemode run FILE} is one run behind the same walls as the server's: one jailed worker JVM,
 * started for it, and nothing started for runs that will never come (no second worker, no training worker).
 */
class RunCommandIT {
  @TempDir Path dir;

  @Test
  void oneRunStartsOneJailedWorkerAndNothingElse() throws Exception {
    // Long enough for the sampling below to see every JVM the command starts while the run is on.
    Path script = Files.writeString(dir.resolve("spin.js"),
        "const end = Date.now() + 1500; let n = 0; while (Date.now() < end) { n++ } return typeof process");
    Path out = dir.resolve("out.json");
    Path err = dir.resolve("err.txt");
    ProcessBuilder pb = new ProcessBuilder(TsClient.repoRoot().resolve("bin/codemode").toString(), "run", script.toString())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("CODEMODE_NO_BUILD", "1");
    Process p = pb.start();
    Set<Long> workers = new HashSet<>();
    Set<Long> training = new HashSet<>();
    while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
      workers.addAll(WorkerJvms.taking(p.descendants()));
      training.addAll(WorkerJvms.training(p.descendants()));
      assertTrue(workers.size() <= 1, "a one-shot run started more than one worker: " + workers);
    }
    String log = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), log);
    JsonNode result = new ObjectMapper().readTree(out.toFile());
    assertEquals("ok", result.get("status").asText(), result.toString());
    assertEquals("undefined", result.get("result").asText());
    assertEquals(1, workers.size(), "the run did not go to a worker JVM");
    assertEquals(Set.of(), training, "a class archive was trained for workers that never start");
    assertTrue(log.contains("bubblewrap jail UP") && log.contains("one worker for one run"), log);
  }
}
