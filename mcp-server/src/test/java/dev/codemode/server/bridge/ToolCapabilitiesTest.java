package dev.codemode.server.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.Profile;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.BridgeException;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.DenialRule;
import dev.codemode.runtime.RunJournal;
import dev.codemode.server.broker.Broker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import dev.codemode.server.approval.Approver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The policy checks that run before the broker is asked anything (no downstream server is needed for them). */
class ToolCapabilitiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final CodemodeConfig config = ConfigLoader.parse("""
      profiles:
        default:
          tools: {allow: ['memory.*'], require_approval: ['memory.delete_*']}
      """, "test.yaml", Path.of("."));
  private final Broker broker = Broker.start(config, new dev.codemode.server.Secrets(System.getenv()));
  private final ToolCapabilities tools = new ToolCapabilities(broker);

  @AfterEach
  void close() {
    broker.close();
  }

  private BridgeException failure(CompletionStage<JsonNode> stage) {
    try {
      stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      return (BridgeException) e.getCause();
    }
    throw new AssertionError("the call was not refused");
  }

  /** Calls {@code server.tool} as a run of {@code profile} admitted with {@code allowedTools} (null for none). */
  private CompletionStage<JsonNode> call(String profile, String server, String tool, List<String> allowedTools, RunJournal journal) {
    return call(config.profile(profile).orElseThrow(), server, tool, allowedTools, journal);
  }

  private CompletionStage<JsonNode> call(Profile profile, String server, String tool, List<String> allowedTools, RunJournal journal) {
    JsonNode args = JSON.valueToTree(Map.of("server", server, "tool", tool, "args", Map.of()));
    return tools.call(new BridgeCall("r1", profile, "tool.call", args, journal), ToolGrant.of(profile, allowedTools, Approver.NOBODY));
  }

  @Test
  void theEmbeddedDefaultDeniesEveryTool() {
    RunJournal journal = new RunJournal();
    BridgeException e = failure(call(ConfigLoader.loadDefault().defaultProfile(), "memory", "read_graph", null, journal));
    assertEquals("EACCES", e.code());
    assertTrue(e.getMessage().contains("tools.allow is empty"), e.getMessage());
    assertEquals(List.of(new Denial(DenialRule.TOOL_NOT_ALLOWED, "memory.read_graph", e.getMessage())), journal.denials());
    assertEquals(List.of(), journal.toolCalls());
  }

  @Test
  void allowedToolsCanOnlyNarrow() {
    RunJournal journal = new RunJournal();
    BridgeException e = failure(call("default", "memory", "read_graph", List.of("memory.open_nodes"), journal));
    assertTrue(e.getMessage().contains("not in this call's allowed_tools"), e.getMessage());
    BridgeException wider = failure(call("default", "everything", "echo", List.of("everything.*"), journal));
    assertTrue(wider.getMessage().contains("not in the profile's tools.allow"), wider.getMessage());
    assertEquals(2, journal.denials().size());
  }

  @Test
  void aRunNobodyCanApproveIsRefused() {
    Approver.Decision d = Approver.NOBODY.ask("unknown-run", "memory.delete_entities",
        JSON.createObjectNode()).toCompletableFuture().join();
    assertFalse(d.approved());
    assertTrue(d.reason().startsWith("not approved"), d.reason());
  }

  @Test
  void anAllowedToolOnAnUnknownServerIsDeniedAndRecorded() {
    RunJournal journal = new RunJournal();
    BridgeException e = failure(call("default", "memory", "read_graph", null, journal));
    assertEquals("no downstream server 'memory' is configured", e.getMessage());
    assertEquals(1, journal.denials().size());
  }

  @Test
  void searchOffersNothingWithoutServersAndDescribeNamesTheProblem() {
    JsonNode args = JSON.valueToTree(Map.of("query", "graph"));
    ToolGrant grant = ToolGrant.of(config.defaultProfile(), null, Approver.NOBODY);
    BridgeCall search = new BridgeCall("r1", config.defaultProfile(), "codemode.searchTools", args, new RunJournal());
    assertEquals(0, tools.search(search, grant).toCompletableFuture().join().size());
    BridgeCall describe = new BridgeCall("r1", config.defaultProfile(), "codemode.describeTool",
        JSON.valueToTree(Map.of("name", "memory.read_graph")), new RunJournal());
    assertTrue(failure(tools.describe(describe, grant)).getMessage().startsWith("no tool named 'memory.read_graph'"));
  }
}
