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

/** The launcher behaves: help for every command, and mistakes in one line, never a stack trace. */
class CommandLineMannersTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    out.reset();
    err.reset();
    return Commands.dispatch(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void everyCommandHasHelp() throws Exception {
    for (String command : List.of("serve", "run", "artifacts", "bindings", "check-config", "admin", "quarantine", "hash-token")) {
      assertEquals(0, run(command, "--help"), command + ": " + err);
      assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: codemode " + command), command + ": " + out);
    }
  }

  @Test
  void aMissingFileIsOneLine() throws Exception {
    assertEquals(2, run("run", dir.resolve("nope.js").toString()));
    String e = err.toString(StandardCharsets.UTF_8);
    assertEquals("codemode: no such file: " + dir.resolve("nope.js") + System.lineSeparator(), e);
  }

  @Test
  void aSecondServeWithTheAdminEndpointNamesAdminListen() throws Exception {
    try (java.net.ServerSocket first = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = first.getLocalPort();
      Path config = Files.writeString(dir.resolve("admin.yaml"), """
          admin: {enabled: true, listen: '127.0.0.1:%d', token: 'a-long-enough-admin-token-0123456789'}
          audit: {sink: file, path: ./audit.log}
          """.formatted(port));
      assertEquals(2, run("serve", "--config", config.toString()));
      String e = err.toString(StandardCharsets.UTF_8);
      assertEquals("codemode: cannot start a loopback endpoint: " + config + ": admin.listen: 127.0.0.1:" + port
          + " is already in use (is another 'codemode serve' with this config running?); give this one another"
          + " admin.listen port or admin.enabled: false", e.strip());
    }
  }

  @Test
  void runAuditsToTheFileAndItsArtifactsCanBeListedAndFetched() throws Exception {
    Path config = Files.writeString(dir.resolve("local.yaml"), "audit: {path: ./audit.log}\nartifacts: {dir: ./artifacts}\n");
    Path script = Files.writeString(dir.resolve("report.js"),
        "await fs.writeFile('/workspace/out/report.txt', 'total: 42'); return 'done';");
    assertEquals(0, run("run", "--config", config.toString(), script.toString()), err.toString(StandardCharsets.UTF_8));
    com.fasterxml.jackson.databind.JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toByteArray());
    String uri = result.at("/artifacts/0/uri").asText();
    assertTrue(uri.startsWith("artifact://" + result.get("run_id").asText() + "/report.txt"), result.toString());
    String audit = Files.readString(dir.resolve("audit.log"));
    assertTrue(audit.contains(result.get("run_id").asText()), audit);
    assertEquals("codemode: audit events go to " + dir.resolve("audit.log") + " (--audit stderr to see them here)",
        err.toString(StandardCharsets.UTF_8).strip());

    assertEquals(0, run("artifacts", "--config", config.toString(), "list"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith(uri + "  9 bytes  text/plain"), out.toString(StandardCharsets.UTF_8));
    assertEquals(0, run("artifacts", "--config", config.toString(), "get", uri));
    assertEquals("total: 42", out.toString(StandardCharsets.UTF_8));
    assertEquals(1, run("artifacts", "--config", config.toString(), "get", "artifact://nope/x.txt"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("codemode artifacts: no artifact 'artifact://nope/x.txt'"));

    assertEquals(2, run("run", "--audit", "syslog", script.toString()));
    assertEquals("codemode: option --audit: 'syslog' is not file or stderr", err.toString(StandardCharsets.UTF_8).strip());
  }

  @Test
  void aBadOptionValueIsOneLineNamingTheOption() throws Exception {
    Path script = Files.writeString(dir.resolve("s.js"), "return 1");
    assertEquals(2, run("run", "--timeout-ms", "soon", script.toString()));
    String e = err.toString(StandardCharsets.UTF_8);
    assertTrue(e.startsWith("codemode: option --timeout-ms: 'soon' is not a positive whole number"), e);
    assertFalse(e.strip().contains("\n"), e);
  }
}
