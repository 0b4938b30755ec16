package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code bin/codemode bindings} and {@code bin/codemode run} against the three real npm servers, as subprocesses. */
class BrokerCliIT {
  private static DownstreamConfig cfg;

  @BeforeAll
  static void config() throws Exception {
    cfg = DownstreamConfig.create();
  }

  private record Outcome(int code, String out, String err) {}

  private static Outcome codemode(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(TsClient.repoRoot().resolve("bin/codemode").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("CODEMODE_NO_BUILD", "1");
    pb.environment().put("CODEMODE_IT_MEMORY_FILE", cfg.memoryFile().toString());
    pb.environment().put("XDG_STATE_HOME", cfg.dir().resolve("state").toString());
    Path out = Files.createTempFile(cfg.dir(), "out", ".txt");
    Path err = Files.createTempFile(cfg.dir(), "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "codemode " + String.join(" ", args) + " did not finish");
    return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void bindingsWritesTypedWrappersFromTheLiveServers() throws Exception {
    Path dir = cfg.dir().resolve("bindings");
    Outcome o = codemode("bindings", "--config", cfg.config().toString(), "--out", dir.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("from 3 servers"), o.out());
    assertTrue(Files.readString(dir.resolve("servers.d.ts")).contains("readonly filesystem"));
    assertTrue(Files.readString(dir.resolve("servers/everything/index.d.ts")).contains("export declare function getSum("));
    assertTrue(Files.readString(dir.resolve("servers/memory/index.js")).contains("callTool('memory', 'create_entities'"));
  }

  @Test
  void bindingsForAProfileHoldOnlyItsToolsAndTheSandboxGlobals() throws Exception {
    Path dir = cfg.dir().resolve("bindings-memory-only");
    Outcome o = codemode("bindings", "--config", cfg.config().toString(), "--profile", "memory-only", "--out", dir.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("from 1 servers, as profile memory-only allows"), o.out());
    assertTrue(Files.isRegularFile(dir.resolve("servers/memory/index.d.ts")));
    assertFalse(Files.exists(dir.resolve("servers/everything")), "a server the profile cannot call has no bindings");
    assertFalse(Files.readString(dir.resolve("servers.d.ts")).contains("everything"));
    assertTrue(Files.readString(dir.resolve("sandbox.d.ts")).contains("declare const codemode"));
    assertTrue(Files.readString(dir.resolve("tsconfig.json")).contains("\"strict\": true"));
    Outcome unknown = codemode("bindings", "--config", cfg.config().toString(), "--profile", "nope", "--out", dir.toString());
    assertEquals(2, unknown.code());
    assertEquals("codemode: unknown profile 'nope' (configured: default, memory-only)", unknown.err().strip());
  }

  @Test
  void downstreamStderrNeverReachesStdout() throws Exception {
    Path script = Files.writeString(cfg.dir().resolve("fs.js"),
        "return (await servers.filesystem.listAllowedDirectories({})).content");
    Outcome o = codemode("run", "--config", cfg.config().toString(), script.toString());
    JsonNode result = new ObjectMapper().readTree(o.out());
    assertEquals("ok", result.get("status").asText(), o.out() + o.err());
    assertTrue(result.get("result").asText().contains(cfg.filesRoot().toString()));
    assertFalse(o.out().contains("Secure MCP Filesystem Server"), "a downstream's stderr banner reached stdout");
  }

  @Test
  void aTerminalGetsOneLogFormatAndARunsAuditGoesToItsFile() throws Exception {
    Path script = Files.writeString(cfg.dir().resolve("one.js"), "return 1");
    Outcome o = codemode("run", script.toString());
    assertEquals(0, o.code(), o.err());
    Path audit = cfg.dir().resolve("state/codemode/audit.log");
    String runId = new ObjectMapper().readTree(o.out()).get("run_id").asText();
    assertTrue(Files.readString(audit).contains(runId), "the run's audit events are in " + audit);
    for (String line : o.err().lines().toList()) {
      assertTrue(line.startsWith("codemode: ") || line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (DEBUG|INFO |WARN ) .*"),
          "one human format, and nothing at ERROR for a normal run: " + line);
    }
  }

  @Test
  void theExampleConfigIsValid() throws Exception {
    Outcome o = codemode("check-config", TsClient.repoRoot().resolve("examples/config.example.yaml").toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().startsWith("config OK: 5 profile(s), 3 server(s)"), o.out());
  }
}
