package dev.codemode.server.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.server.e2e.TsClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every sample script in examples/scripts runs as examples/README.md says, against the real npm servers. */
class ExamplesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path MEMORY_FILE = Path.of("/tmp/codemode-example-memory.jsonl");
  private static Path root;

  @BeforeAll
  static void freshGraph() throws Exception {
    root = TsClient.repoRoot();
    Files.deleteIfExists(MEMORY_FILE);
  }

  private static JsonNode run(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(root.resolve("bin/codemode").toString(), "run"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("CODEMODE_NO_BUILD", "1");
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the run finished");
    String text = new String(out, StandardCharsets.UTF_8);
    return JSON.readTree(text);
  }

  @Test
  void theScriptsRunInTheOrderTheReadmeGives() throws Exception {
    String config = "examples/config.two-servers.yaml";
    JsonNode notes = run("--config", config, "examples/scripts/notes-to-memory.js");
    assertEquals("ok", notes.get("status").asText(), notes.toString());
    assertEquals(3, notes.at("/result/meetings").asInt());
    assertEquals(4, notes.at("/result/entitiesInGraph").asInt());
    assertTrue(notes.get("tool_calls").size() >= 7, notes.toString());

    JsonNode decisions = run("--config", config, "examples/scripts/find-decisions.ts");
    assertEquals("ok", decisions.get("status").asText(), decisions.toString());
    assertTrue(decisions.at("/result/decisions").toString().contains("20 seats"), decisions.toString());

    JsonNode discover = run("--config", config, "examples/scripts/discover-tools.js");
    assertEquals("ok", discover.get("status").asText(), discover.toString());
    assertEquals("filesystem.read_text_file", discover.at("/result/first").asText(), discover.toString());
  }

  @Test
  void aCallOutsideTheAllowlistIsDeniedAsTheReadmeSays() throws Exception {
    Path script = Files.createTempFile("codemode-example-write", ".js");
    Files.writeString(script, "return await servers.filesystem.writeFile({path: 'x.txt', content: 'x'})");
    JsonNode denied = run("--config", "examples/config.two-servers.yaml", script.toString());
    assertEquals("error", denied.get("status").asText(), denied.toString());
    assertEquals("tool", denied.at("/denials/0/kind").asText(), denied.toString());
    assertTrue(Files.notExists(root.resolve("examples/data/x.txt")));
  }

  @Test
  void theScriptsTypeCheckStrictlyAgainstTheBindingsOfTheirConfig() throws Exception {
    Path out = Files.createTempDirectory("codemode-example-bindings");
    ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/codemode").toString(), "bindings", "--config",
        "examples/config.two-servers.yaml", "--out", out.toString()).directory(root.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("CODEMODE_NO_BUILD", "1");
    Process bindings = pb.start();
    assertTrue(bindings.waitFor(180, TimeUnit.SECONDS), "bindings finished");
    assertEquals(0, bindings.exitValue(), "bin/codemode bindings");
    assertTrue(Files.readString(out.resolve("tsconfig.json")).contains("\"strict\": true"));
    List<String> cmd = new java.util.ArrayList<>(List.of("node", out.resolve("typecheck.mjs").toString()));
    try (var scripts = Files.list(root.resolve("examples/scripts"))) {
      scripts.sorted().forEach(s -> cmd.add(s.toString()));
    }
    assertEquals(5, cmd.size(), "the three example scripts");
    // From the testkit, where the typescript package is installed.
    Process tsc = new ProcessBuilder(cmd).directory(root.resolve("testkit").toFile()).redirectErrorStream(true).start();
    String printed = new String(tsc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(tsc.waitFor(120, TimeUnit.SECONDS), "typecheck finished");
    assertEquals(0, tsc.exitValue(), printed);
    assertTrue(printed.contains("typecheck: 3 file(s) OK"), printed);
  }

  @Test
  void theFirstStepOfTheReadmeWorks() throws Exception {
    Path first = Files.createTempFile("codemode-first", ".js");
    Files.writeString(first, "return [1, 2, 3].map(n => n * n)");
    JsonNode r = run(first.toString());
    assertEquals("[1,4,9]", r.get("result").toString());
  }
}
