package dev.codemode.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.server.auth.TokenHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashTokenCommandTest {
  private static String run(List<String> args, String stdin) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = HashTokenCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    assertEquals(0, code);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void hashesTheTokenOnStdin() throws Exception {
    assertEquals(TokenHash.configForm("a-long-enough-token-1234") + System.lineSeparator(), run(List.of(), "a-long-enough-token-1234\n"));
  }

  @Test
  void newPrintsATokenAndItsHash() throws Exception {
    String out = run(List.of("new"), "");
    String token = out.lines().filter(l -> l.startsWith("token:")).findFirst().orElseThrow().substring(6).strip();
    assertTrue(out.contains("sha256: " + TokenHash.configForm(token)), out);
  }

  @Test
  void dashDashNewAsTheHintsSayMakesATokenToo() throws Exception {
    String out = run(List.of("--new"), "");
    assertTrue(out.startsWith("token:"), out);
  }

  @Test
  void aShortTokenIsToldTheCommandThatWorks() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(List.of(), "short\n"));
    assertTrue(e.getMessage().contains("'codemode hash-token --new'"), e.getMessage());
  }

  @Test
  void refusesATokenOnTheCommandLineOrAShortOne() {
    assertThrows(IllegalArgumentException.class, () -> run(List.of("my-secret-token-value"), ""));
    assertThrows(IllegalArgumentException.class, () -> run(List.of(), "short\n"));
    assertThrows(IllegalArgumentException.class, () -> run(List.of(), ""));
  }
}
