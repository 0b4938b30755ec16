package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Non-ok answers a model can act on: what happened, which budget, and which tool calls already ran. */
class ErrorAnswersIT {
  private static DownstreamConfig cfg;
  private static TsClient client;

  @BeforeAll
  static void start() throws Exception {
    cfg = DownstreamConfig.create();
    client = TsClient.start();
    client.connectStdio(Map.of("CODEMODE_IT_MEMORY_FILE", cfg.memoryFile().toString()), (Path) null,
        "--config", cfg.config().toString());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
  }

  @Test
  void aLimitAnswerNamesTheLimitItsBudgetAndTheCallsThatCompleted() throws Exception {
    JsonNode r = client.execute("await servers.memory.createEntities({entities: [{name: 'a', entityType: 't', observations: []}]});\n"
        + "await servers.memory.readGraph({});\nwhile (true) {}", Map.of("timeout_ms", 1500));
    String text = r.at("/content/0/text").asText();
    assertTrue(r.path("isError").asBoolean());
    assertTrue(text.startsWith("status: limit ("), text);
    assertTrue(text.contains("budget of 1500 ms"), text);
    assertTrue(text.contains("tool calls completed before the end (2): memory.create_entities, memory.read_graph"), text);
    assertEquals(2, r.at("/structuredContent/tool_calls").size());
  }

  @Test
  void aGuestErrorAnswerNamesTheAgentsLine() throws Exception {
    JsonNode r = client.execute("const x = 1;\nconst y = undefined;\ny.boom();");
    String text = r.at("/content/0/text").asText();
    assertTrue(text.contains("error: TypeError"), text);
    assertTrue(text.contains("agent.js:3"), text);
  }

  @Test
  void aPolicyDenialAnswerNamesTheRule() throws Exception {
    JsonNode r = client.execute("await fetch('https://example.com/x'); return 1");
    String text = r.at("/content/0/text").asText();
    assertTrue(text.contains("denied net https://example.com/x: network access is disabled by policy"), text);
  }

  @Test
  void badArgumentsAreAnsweredWithWhatIsWrongAndRunNothing() throws Exception {
    Map<Map<String, Object>, String> cases = Map.of(
        Map.of("code", 5), "'code' is required and must be a string of JavaScript",
        Map.of("bogus", true), "unknown argument 'bogus' (allowed: code, profile, allowed_tools, timeout_ms)",
        Map.of("timeout_ms", "soon"), "'timeout_ms' must be a positive whole number of milliseconds",
        Map.of("timeout_ms", 1.5), "'timeout_ms' must be a positive whole number of milliseconds",
        Map.of("allowed_tools", "memory.*"), "'allowed_tools' must be a list of 'server.tool' patterns",
        Map.of("profile", 7), "'profile' must be a string");
    for (Map.Entry<Map<String, Object>, String> c : cases.entrySet()) {
      JsonNode r = client.execute("globalThis.ran = true; return 1", c.getKey());
      String text = r.at("/content/0/text").asText();
      assertTrue(r.path("isError").asBoolean(), c.getKey() + " -> " + r);
      assertTrue(text.contains(c.getValue()), c.getKey() + " -> " + text);
      assertTrue(r.path("structuredContent").isMissingNode() || !r.at("/structuredContent/status").asText().equals("ok"),
          c.getKey() + " ran: " + r);
    }
  }
}
