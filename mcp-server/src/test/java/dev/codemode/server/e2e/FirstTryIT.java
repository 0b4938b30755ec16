package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.server.tool.ToolDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A first try, the way a model writes code, through the official TypeScript SDK client on both
 * transports ({@code stdio}: client "main", Streamable HTTP: client "http"), against the real reference
 * servers and one configured server that cannot start.
 */
class FirstTryIT {
  private static TsClient client;
  private static ServerProcess http;
  private static Path configDir;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("codemode-first-try").toRealPath();
    Path npm = TsClient.repoRoot().resolve("testkit/node_modules/@modelcontextprotocol");
    Path config = dir.resolve("codemode.yaml");
    Files.writeString(config, """
        profiles:
          default:
            tools: {allow: ['everything.*', 'memory.*', 'broken.*']}
        servers:
          everything:
            command: node
            args: ['%s', 'stdio']
          memory:
            command: node
            args: ['%s']
            env: {MEMORY_FILE_PATH: '%s'}
          broken:
            command: ./broken.sh
        """.formatted(npm.resolve("server-everything/dist/index.js"), npm.resolve("server-memory/dist/index.js"),
        dir.resolve("memory.jsonl")));
    // Relative to the config file's folder, though both servers below start from the repository root.
    Path broken = Files.writeString(dir.resolve("broken.sh"),
        "#!/bin/sh\necho \"Error: Cannot find module /opt/nowhere/server.js (in $(pwd))\" >&2\nexit 3\n");
    broken.toFile().setExecutable(true);
    configDir = dir;
    client = TsClient.start();
    client.connectStdio("--config", config.toString());
    http = ServerProcess.start(config);
    client.connectHttp("http", http.url(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (http != null) {
      http.close();
    }
  }

  private static JsonNode call(String transport, String code) throws Exception {
    return TsClient.value(client.executeAs(transport, code, Map.of()).get(120, TimeUnit.SECONDS));
  }

  private static JsonNode run(String transport, String code) throws Exception {
    return call(transport, code).get("structuredContent");
  }

  private static JsonNode ok(String transport, String code) throws Exception {
    JsonNode s = run(transport, code);
    assertEquals("ok", s.get("status").asText(), s.toString());
    return s;
  }

  @ParameterizedTest
  @ValueSource(strings = {"main", "http"})
  void staticImportsWithATopLevelReturnRun(String transport) throws Exception {
    JsonNode s = ok(transport, "import { writeFile, readFile } from 'node:fs/promises';\n"
        + "await writeFile('n.txt', '42');\nconst n: number = Number(await readFile('n.txt', 'utf8'));\nreturn n + 1;");
    assertEquals(43, s.get("result").asInt());
    JsonNode text = ok(transport, "const t = `\nimport x from \"y\"\n`;\nreturn t.trim();");
    assertEquals("import x from \"y\"", text.get("result").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"main", "http"})
  void nodeBuiltInsAndPackagesSayWhatIsAvailable(String transport) throws Exception {
    JsonNode s = run(transport, "import { readFileSync } from 'node:fs';\nreturn readFileSync('x');");
    assertEquals("error", s.get("status").asText());
    assertTrue(s.at("/error/message").asText().contains("'node:fs/promises'"), s.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"main", "http"})
  void timersWorkAndTooManyEndInALimit(String transport) throws Exception {
    JsonNode s = ok(transport, "const t0 = Date.now(); await new Promise(r => setTimeout(r, 50)); return Date.now() - t0 >= 45;");
    assertTrue(s.get("result").asBoolean(), s.toString());
    JsonNode flood = run(transport, "for (let i = 0; i < 10000; i++) setTimeout(() => {}, 60000); return 1;");
    assertEquals("limit", flood.get("status").asText(), flood.toString());
    assertEquals("timers", flood.get("limit").asText(), flood.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"main", "http"})
  void mistakesAreAnsweredWithTheFix(String transport) throws Exception {
    JsonNode tool = ok(transport, "try { await servers.everything.getSumm({a: 1, b: 2}) } catch (e) { return e.message }");
    String t = tool.get("result").asText();
    assertTrue(t.contains("did you mean servers.everything.getSum?") && t.contains("echo"), t);
    JsonNode server = ok(transport, "try { await servers.memroy.readGraph({}) } catch (e) { return e.message }");
    String m = server.get("result").asText();
    assertTrue(m.contains("did you mean servers.memory?") && m.contains("everything"), m);
    JsonNode described = ok(transport, "return await codemode.describeTool('everything.getSum')");
    assertTrue(described.get("result").asText().contains("getSum"), described.toString());
    JsonNode column = run(transport, "null.x");
    assertTrue(column.at("/error/stack").asText().startsWith("    at agent.js:1:1"), column.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"main", "http"})
  void aCallRefusedBeforeItRanIsNotAWriteToAvoidRepeating(String transport) throws Exception {
    JsonNode r = call(transport, "await servers.everything.getSum({a: 'not a number'});");
    String text = r.at("/content/0/text").asText();
    assertEquals("error", r.at("/structuredContent/status").asText(), text);
    assertFalse(text.contains("do not repeat writes"), text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"main", "http"})
  void aServerThatFailedToStartAnswersEdownWithItsStderrAndRanFromTheConfigFolder(String transport) throws Exception {
    JsonNode s = ok(transport, "try { await servers.broken.anything({}) } catch (e) { return [e.code, e.message] }");
    assertEquals("EDOWN", s.at("/result/0").asText(), s.toString());
    assertTrue(s.at("/result/1").asText().contains("Cannot find module /opt/nowhere/server.js (in " + configDir + ")"),
        s.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"main", "http"})
  void theDescriptionsExampleRunsAgainstTheRealServers(String transport) throws Exception {
    String description = client.listTools().at("/tools/0/description").asText();
    assertTrue(description.contains("[EMAIL_k3j9xq2m7pa4]") && description.contains("/workspace/out/ exists"), description);
    for (String line : ToolDescription.EXAMPLE.lines().toList()) {
      assertTrue(description.contains(line), "the description shows the tested example: " + line);
    }
    ok(transport, "await servers.memory.createEntities({entities: [{name: 'inv-" + transport
        + "', entityType: 'invoice', observations: ['due']}]}); return 1");
    JsonNode s = ok(transport, ToolDescription.EXAMPLE);
    assertTrue(s.get("result").toString().contains("inv-" + transport), s.toString());
    assertEquals("invoices.json", s.at("/artifacts/0/name").asText(), s.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"main", "http"})
  void aLongRunReportsProgress(String transport) throws Exception {
    JsonNode r = client.executeWithProgressAs(transport,
        "for (let i = 0; i < 6; i++) { console.log('tick ' + i); await servers.everything.echo({message: 'tick ' + i});"
        + " await new Promise(r => setTimeout(r, 1000)); }\nreturn 'done';");
    assertEquals("ok", r.at("/structuredContent/status").asText(), r.toString());
    JsonNode notes = r.get("progressNotifications");
    assertTrue(notes.size() >= 2, "progress notifications: " + notes);
    String last = notes.get(notes.size() - 1).path("message").asText();
    assertTrue(last.contains("tool calls"), notes.toString());
    // 'tick N\n' is 7 bytes: at least two lines were written before the last notification.
    java.util.regex.Matcher bytes = java.util.regex.Pattern.compile("(\\d+) console bytes").matcher(last);
    assertTrue(bytes.find() && Long.parseLong(bytes.group(1)) >= 14, notes.toString());
  }

  @Test
  void fiftyConcurrentCallsFromOneLoopbackClientAllSucceedOnTheDefaults() throws Exception {
    try (ServerProcess defaults = ServerProcess.start(null)) {
      client.connectHttp("fifty", defaults.url(), Map.of());
      List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        calls.add(client.executeAs("fifty", "return " + i, Map.of()));
      }
      int ok = 0;
      List<String> refused = new ArrayList<>();
      for (CompletableFuture<JsonNode> f : calls) {
        JsonNode s = TsClient.value(f.get(300, TimeUnit.SECONDS));
        if ("ok".equals(s.at("/structuredContent/status").asText())) {
          ok++;
        } else {
          refused.add(s.at("/content/0/text").asText());
        }
      }
      assertEquals(50, ok, "refused: " + refused);
      client.closeClient("fifty");
    }
  }
}
