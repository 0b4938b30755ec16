package dev.codemode.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return Commands.dispatch(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void theExampleConfigIsValidAndPrintsEveryProfile() throws Exception {
    Path example = repoRoot().resolve("examples/config.example.yaml");
    assertEquals(0, run("check-config", example.toString()), err.toString());
    String printed = out.toString(StandardCharsets.UTF_8);
    for (String profile : List.of("default:", "research:", "data:", "billing:")) {
      assertTrue(printed.contains(profile), printed);
    }
    assertTrue(printed.contains("deny_globs"), printed);
    assertFalse(printed.contains("${env:STRIPE_READ_KEY}"), "credential values are masked");
  }

  @Test
  void aBadConfigExitsTwoWithFileLineAndKey() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "profiles:\n  default:\n    net:\n      enabled: true\n");
    assertEquals(2, run("check-config", bad.toString()));
    assertTrue(err.toString().contains("bad.yaml:4: profiles.default.net.enabled"), err.toString());
  }

  @Test
  void checkConfigReportsEveryErrorOnItsOwnLine() throws Exception {
    Path bad = Files.writeString(dir.resolve("two.yaml"),
        "profiles:\n  default:\n    proc: {wall_ms: 5}\nservers:\n  memory: {command: node, start: eager}\n");
    assertEquals(2, run("check-config", bad.toString()));
    assertEquals(List.of(
        "codemode: configuration error: " + bad + ":3: profiles.default.proc.wall_ms: must be between 10 and 3600000 (got 5)",
        "codemode: configuration error: " + bad + ":5: servers.memory.start: start is 'boot' or 'lazy' (got 'eager')"),
        err.toString(StandardCharsets.UTF_8).lines().toList());
  }

  @Test
  void runPrintsTheStructuredResult() throws Exception {
    Path script = Files.writeString(dir.resolve("s.js"), "return 6*7");
    assertEquals(0, run("run", script.toString()));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("\"status\" : \"ok\""), printed);
    assertTrue(printed.contains("\"result\" : 42"), printed);
  }

  @Test
  void unknownCommandsAndOptionsAreClearErrors() throws Exception {
    assertEquals(2, run("launch"));
    assertTrue(err.toString().contains("unknown command 'launch'"));
    assertEquals(2, run("run", "--profle", "x", "f.js"));
    assertTrue(err.toString().contains("unknown option --profle"), err.toString());
  }

  private static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("examples"))) {
      p = p.getParent();
    }
    return p;
  }
}
