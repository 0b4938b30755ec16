package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code bin/codemode serve} as a subprocess, driven over stdio by the official TypeScript SDK client. */
class StdioEndToEndIT {
  private static TsClient client;

  @BeforeAll
  static void start() throws Exception {
    client = TsClient.start();
    client.connectStdio();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
  }

  private static JsonNode structured(JsonNode result) {
    return result.get("structuredContent");
  }

  @Test
  void listsExecuteCodeWithCodeRequired() throws Exception {
    JsonNode tools = client.listTools().get("tools");
    assertEquals(1, tools.size());
    JsonNode tool = tools.get(0);
    assertEquals("execute_code", tool.get("name").asText());
    assertEquals("code", tool.at("/inputSchema/required/0").asText());
    assertTrue(tool.get("description").asText().length() < 6000);
  }

  @Test
  void returnsTheValue() throws Exception {
    JsonNode r = client.execute("const x = await Promise.resolve(6); return x * 7");
    assertFalse(r.path("isError").asBoolean(), r.toString());
    assertEquals("ok", structured(r).get("status").asText());
    assertEquals(42, structured(r).get("result").asInt());
    assertTrue(r.at("/content/0/text").asText().contains("result: 42"));
  }

  @Test
  void moduleDefaultExportIsTheResult() throws Exception {
    JsonNode r = client.execute("const v = await Promise.resolve('m');\nexport default {v}");
    assertEquals("ok", structured(r).get("status").asText(), r.toString());
    assertEquals("m", structured(r).at("/result/v").asText());
  }

  @Test
  void guestErrorPointsAtTheAgentsLine() throws Exception {
    JsonNode r = client.execute("const a = 1;\nconst b = 2;\nnull.boom;");
    assertTrue(r.path("isError").asBoolean());
    JsonNode s = structured(r);
    assertEquals("error", s.get("status").asText());
    assertEquals("TypeError", s.at("/error/type").asText());
    assertTrue(s.at("/error/stack").asText().contains("agent.js:3"), s.toString());
    assertFalse(r.toString().contains("at java."), "no host frames reach the client");
  }

  @Test
  void infiniteLoopEndsAsLimitAndTheNextCallWorks() throws Exception {
    for (String code : new String[] {"while(true){}", "try { throw 1 } finally { while(true){} }",
        "function f(){ return f() + 1 } return f()", "const sab = new SharedArrayBuffer(16); Atomics.wait(new Int32Array(sab), 0, 0); return 'woke'"}) {
      long t0 = System.nanoTime();
      JsonNode r = client.execute(code, Map.of("timeout_ms", 2000));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      JsonNode s = structured(r);
      assertTrue(ms < 5000, code + " took " + ms + " ms");
      assertTrue(r.path("isError").asBoolean(), code + " must not succeed: " + s);
      assertTrue(s.get("status").asText().equals("limit") || code.contains("Atomics"), code + ": " + s);
      assertEquals(2, structured(client.execute("return 1+1")).get("result").asInt(), "alive after " + code);
    }
  }

  @Test
  void consoleFloodIsTruncatedAndTheServerLives() throws Exception {
    JsonNode r = client.execute("const s = 'x'.repeat(1 << 20); for (let i = 0; i < 100; i++) console.log(s); return 'done'",
        Map.of("timeout_ms", 20000));
    JsonNode s = structured(r);
    assertEquals("ok", s.get("status").asText(), s.toString().substring(0, Math.min(300, s.toString().length())));
    assertTrue(s.get("console").asText().contains("console truncated"));
    assertTrue(s.get("console").asText().length() < 70_000);
    assertEquals(2, structured(client.execute("return 1+1")).get("result").asInt());
  }

  @Test
  void hostGlobalsAreAbsent() throws Exception {
    JsonNode r = client.execute("return ['Java','Polyglot','Packages','load','loadWithNewGlobal','print','printErr','Graal','quit','exit','require','process']"
        + ".filter(n => typeof globalThis[n] !== 'undefined')");
    assertEquals(0, structured(r).get("result").size(), r.toString());
  }

  @Test
  void badInputIsAClearError() throws Exception {
    JsonNode r = client.execute("return 1", Map.of("profile", "nope"));
    assertTrue(r.path("isError").asBoolean());
    assertTrue(r.at("/content/0/text").asText().contains("unknown profile 'nope'"), r.toString());
  }

  @Test
  void typeScriptRunsAndItsErrorsNameTheAgentsLine() throws Exception {
    JsonNode r = client.execute("interface Row { id: number; tags: string[] }\n"
        + "function pick<T>(xs: T[], n: number): T[] { return xs.slice(0, n) }\n"
        + "const rows: Row[] = [{id: 1, tags: []}, {id: 2, tags: ['x']}] as Row[];\n"
        + "return pick<Row>(rows, 1).map((r: Row) => r.id);");
    assertEquals("ok", structured(r).get("status").asText(), r.toString());
    assertEquals("[1]", structured(r).get("result").toString());
    JsonNode bad = client.execute("const ok: number = 1;\nconst broken: string = ;");
    assertEquals("SyntaxError", structured(bad).at("/error/type").asText());
    assertTrue(bad.at("/content/0/text").asText().contains("agent.js:2"), bad.toString());
  }
}
