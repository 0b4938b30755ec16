package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tools.require_approval} through MCP elicitation, with the real memory server: a client that
 * accepts lets the call run, one that declines gets a recorded denial, one without elicitation is
 * refused at once.
 */
class ApprovalEndToEndIT {
  private static Path dir;
  private static TsClient client;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("codemode-approval-it").toRealPath();
    Path memory = TestConfig.npmServer("server-memory");
    client = TsClient.start();
    for (String mode : new String[] {"accept", "decline", "none"}) {
      Path config = Files.writeString(dir.resolve(mode + ".yaml"), """
          profiles:
            default:
              tools: {allow: ['memory.*'], require_approval: ['memory.delete_entities']}
          servers:
            memory: {command: node, args: ['%s'], env: {MEMORY_FILE_PATH: '%s'}}
          """.formatted(memory, dir.resolve(mode + "-memory.jsonl")));
      client.connectStdioAs(mode, mode.equals("none") ? null : mode, Map.of(), "--config", config.toString());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
  }

  private static JsonNode run(String clientName, String code) throws Exception {
    return TsClient.value(client.executeAs(clientName, code, Map.of()).get(120, TimeUnit.SECONDS)).get("structuredContent");
  }

  private static final String CREATE_THEN_DELETE = "await servers.memory.createEntities({entities: [{name: 'tmp', "
      + "entityType: 'note', observations: []}]});\n"
      + "let outcome; try { await servers.memory.deleteEntities({entityNames: ['tmp']}); outcome = 'deleted' }"
      + " catch (e) { outcome = e.message }\n"
      + "const g = await servers.memory.readGraph({}); return {outcome, left: g.entities.map(e => e.name)}";

  @Test
  void anAcceptedApprovalLetsTheCallRun() throws Exception {
    JsonNode s = run("accept", CREATE_THEN_DELETE);
    assertEquals("ok", s.get("status").asText(), s.toString());
    assertEquals("deleted", s.at("/result/outcome").asText(), s.toString());
    assertEquals(0, s.at("/result/left").size());
    JsonNode asked = client.elicitations("accept");
    String runId = s.get("run_id").asText();
    boolean askedAboutThisRun = false;
    for (JsonNode e : asked) {
      String message = e.get("message").asText();
      askedAboutThisRun |= message.contains(runId) && message.contains("memory.delete_entities");
    }
    assertTrue(askedAboutThisRun, asked.toString());
  }

  @Test
  void aDeclinedApprovalIsADenialAndTheCallDoesNotRun() throws Exception {
    JsonNode s = run("decline", CREATE_THEN_DELETE);
    assertEquals("ok", s.get("status").asText(), s.toString());
    assertTrue(s.at("/result/outcome").asText().startsWith("not approved"), s.toString());
    assertEquals("tmp", s.at("/result/left/0").asText(), "the entity was not deleted");
    assertEquals("tool", s.at("/denials/0/kind").asText());
    assertTrue(s.at("/denials/0/reason").asText().startsWith("not approved"), s.toString());
  }

  @Test
  void aClientWithoutElicitationIsRefusedAtOnceNotAtTheApprovalTimeout() throws Exception {
    run("none", "await servers.memory.createEntities({entities: [{name: 'keep', entityType: 'note', observations: []}]});"
        + " return 1");
    long t0 = System.nanoTime();
    JsonNode s = run("none", "try { await servers.memory.deleteEntities({entityNames: ['keep']}); return 'deleted' }"
        + " catch (e) { return e.message }");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(s.get("result").asText().contains("does not support MCP elicitation"), s.toString());
    System.out.println("no-elicitation refusal: " + s.get("duration_ms") + " ms in the run, " + ms + " ms round trip");
    // The approval timeout is the run's wall time (30 s here); a refusal that waited for it would take that long.
    // The bound leaves room for a loaded 2-core CI machine: the three servers of this class warm their workers
    // while it runs (a refusal once took 1021 ms there).
    assertTrue(s.get("duration_ms").asLong() < 5000, "refused after " + s.get("duration_ms") + " ms in the run (" + ms + " ms round trip)");
    assertEquals("tool", s.at("/denials/0/kind").asText());
  }
}
