import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.server.CodemodeService;
import dev.codemode.server.RunAnswer;
import dev.codemode.server.approval.Approver;
import dev.codemode.server.audit.RunCaller;
import dev.codemode.server.bridge.ToolGrant;
import dev.codemode.server.tool.ResultRenderer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Broker figures (not a test): (1) the overhead of one tool call bridged out of the sandbox over the same
 * call made directly with the Java SDK client; (2) model-visible bytes of a reference workflow through
 * code mode vs direct tool calls. Usage: java -cp "mcp-server/target/lib/*:mcp-server/target/codemode.jar"
 * bench/BrokerBench.java [calls=300] [rounds=9] (rounds 0: no overhead figure; -Dbench.tokens=false: no bytes figure)
 */
public class BrokerBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path NPM = Path.of("testkit/node_modules/@modelcontextprotocol").toAbsolutePath();

  public static void main(String[] args) throws Exception {
    int calls = Integer.parseInt(args.length > 0 ? args[0] : "300");
    int rounds = Integer.parseInt(args.length > 1 ? args[1] : "9");
    Path dir = Files.createTempDirectory("codemode-bench");
    if (rounds > 0) {
      overhead(dir, calls, rounds);
    }
    if (!Boolean.parseBoolean(System.getProperty("bench.tokens", "true"))) {
      return;
    }
    System.out.println("""
        Token savings: model-visible bytes of one workflow, with the three npm servers configured (everything,
        filesystem, memory), as a client connected to them directly would show its model every tool schema.
        The workflow: create N customer entities in server-memory, read the graph, return the 5 that match a
        filter. Code mode pays a fixed ~3 KB (the execute_code description), so its share falls with N.""");
    for (int n : new int[] {50, 200, 500, 1000}) {
      tokens(dir, n);
    }
  }

  private static CodemodeConfig config(Path dir, String servers) {
    String yaml = "profiles:\n  default:\n    tools: {allow: ['everything.*', 'memory.*', 'filesystem.*']}\n    proc: {wall_ms: 120000, cpu_ms: 60000}\n"
        + "servers:\n" + servers
        // -Dbench.isolation=in-process compares the weaker mode (default: the server's default, jailed workers).
        + (System.getProperty("bench.isolation") == null ? "" : "runtime: {isolation: " + System.getProperty("bench.isolation") + "}\n");
    return ConfigLoader.parse(yaml, "bench.yaml", dir);
  }

  private static String everything() {
    return "  everything: {command: node, args: ['" + NPM.resolve("server-everything/dist/index.js") + "', stdio]}\n";
  }

  private static String filesystem(Path root) {
    return "  filesystem: {command: node, args: ['" + NPM.resolve("server-filesystem/dist/index.js") + "', '" + root + "']}\n";
  }

  private static String memory(Path file) {
    return "  memory: {command: node, args: ['" + NPM.resolve("server-memory/dist/index.js") + "'], env: {MEMORY_FILE_PATH: '"
        + file + "'}}\n";
  }

  // (1) Per-call cost: a run making `calls` sequential echo calls, minus an empty run, per call; vs the SDK client directly.
  private static void overhead(Path dir, int calls, int rounds) throws Exception {
    McpSyncClient direct = McpClient.sync(new StdioClientTransport(
        ServerParameters.builder("node").args(NPM.resolve("server-everything/dist/index.js").toString(), "stdio").build(),
        new JacksonMcpJsonMapper(new ObjectMapper()))).build();
    direct.initialize();
    McpSchema.CallToolRequest echo = new McpSchema.CallToolRequest("echo", Map.of("message", "ping"));
    try (CodemodeService service = new CodemodeService(config(dir, everything()))) {
      CodemodeConfig cfg = service.config();
      String loop = "for (let i = 0; i < " + calls + "; i++) await servers.everything.echo({message: 'ping'}); return 1";
      double[] directMs = new double[rounds];
      double[] bridgedMs = new double[rounds];
      for (int r = -2; r < rounds; r++) { // two warm-up rounds
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          direct.callTool(echo);
        }
        double d = (System.nanoTime() - t0) / 1e6 / calls;
        double empty = runMs(service, cfg, "return 1");
        double full = runMs(service, cfg, loop);
        if (r >= 0) {
          directMs[r] = d;
          bridgedMs[r] = (full - empty) / calls;
        }
      }
      Arrays.sort(directMs);
      Arrays.sort(bridgedMs);
      System.out.printf("one tool call (server-everything echo, %d sequential calls x %d interleaved rounds; load average %s):%n",
          calls, rounds, loadAverage());
      System.out.printf("  median round: direct Java SDK client %.3f ms, bridged from the sandbox %.3f ms: overhead %.3f ms per call%n",
          directMs[rounds / 2], bridgedMs[rounds / 2], bridgedMs[rounds / 2] - directMs[rounds / 2]);
      System.out.printf("  best round:   direct Java SDK client %.3f ms, bridged from the sandbox %.3f ms: overhead %.3f ms per call%n",
          directMs[0], bridgedMs[0], bridgedMs[0] - directMs[0]);
    } finally {
      direct.closeGracefully();
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static double runMs(CodemodeService service, CodemodeConfig cfg, String code) {
    long t0 = System.nanoTime();
    RunAnswer answer = service.run(RunCaller.LOCAL, code, cfg.defaultProfile(), null,
        ToolGrant.of(cfg.defaultProfile(), null, Approver.NOBODY));
    double ms = (System.nanoTime() - t0) / 1e6;
    RunResult r = answer instanceof RunAnswer.Ran ran ? ran.result() : null;
    if (r == null || r.status() != RunStatus.OK) {
      throw new IllegalStateException("bench run failed: " + (r == null ? "busy" : r.error()));
    }
    return ms;
  }

  // (2) The workflow for n entities: create them, read the graph, return the 5 that match a filter.
  private static void tokens(Path dir, int n) throws Exception {
    String code = """
        const entities = Array.from({length: N_ENTITIES}, (_, i) => ({name: 'customer-' + i, entityType: 'customer',
          observations: ['region ' + ['north', 'south', 'east', 'west', 'central'][i % 5], 'spend ' + (i * 37 % 1000)]}));
        await servers.memory.createEntities({entities});
        const graph = await servers.memory.readGraph({});
        return graph.entities.filter(e => e.observations.includes('region north'))
          .sort((a, b) => b.observations[1].localeCompare(a.observations[1])).slice(0, 5).map(e => e.name);""".replace("N_ENTITIES", String.valueOf(n));
    Path files = Files.createDirectories(dir.resolve("files-" + n));
    long description;
    long answer;
    try (CodemodeService service = new CodemodeService(config(dir,
        everything() + filesystem(files) + memory(dir.resolve("cm-" + n + ".jsonl"))))) {
      description = bytes(service.toolDescription()) + bytes(JSON.writeValueAsString(
          dev.codemode.server.tool.ExecuteCodeTool.inputSchema()));
      McpSchema.CallToolResult r = ResultRenderer.render(
          service.executeCode(Map.of("code", code), RunCaller.LOCAL, timeout -> Approver.NOBODY));
      if (Boolean.TRUE.equals(r.isError())) {
        throw new IllegalStateException("code mode run failed: " + r);
      }
      answer = shown(JSON.valueToTree(r), true);
    }
    long schemas = schemaBytes(ServerParameters.builder("node")
        .args(NPM.resolve("server-everything/dist/index.js").toString(), "stdio").build())
        + schemaBytes(ServerParameters.builder("node")
        .args(NPM.resolve("server-filesystem/dist/index.js").toString(), files.toString()).build());
    McpSyncClient direct = McpClient.sync(new StdioClientTransport(
        ServerParameters.builder("node").args(NPM.resolve("server-memory/dist/index.js").toString())
            .env(Map.of("MEMORY_FILE_PATH", dir.resolve("direct-" + n + ".jsonl").toString())).build(),
        new JacksonMcpJsonMapper(new ObjectMapper()))).build();
    long createArgs;
    long createResult;
    long readResult;
    try {
      direct.initialize();
      schemas += bytes(JSON.writeValueAsString(direct.listTools().tools()));
      List<Map<String, Object>> entities = new ArrayList<>();
      String[] regions = {"north", "south", "east", "west", "central"};
      for (int i = 0; i < n; i++) {
        entities.add(Map.of("name", "customer-" + i, "entityType", "customer",
            "observations", List.of("region " + regions[i % 5], "spend " + (i * 37 % 1000))));
      }
      Map<String, Object> args = Map.of("entities", entities);
      createArgs = bytes(JSON.writeValueAsString(args));
      createResult = shown(JSON.valueToTree(direct.callTool(new McpSchema.CallToolRequest("create_entities", args))), false);
      readResult = shown(JSON.valueToTree(direct.callTool(new McpSchema.CallToolRequest("read_graph", Map.of()))), false);
    } finally {
      direct.closeGracefully();
    }
    long codeRead = description + answer;
    long directRead = schemas + createResult + readResult;
    long codeAll = codeRead + bytes(code);
    long directAll = directRead + createArgs + bytes("{}");
    // Over a conversation each turn re-reads what came before: direct = 3 turns (create, read, answer), code mode = 2.
    long directTurns = 3 * schemas + 2 * (createArgs + createResult) + bytes("{}") + readResult;
    long codeTurns = 2 * description + bytes(code) + answer;
    System.out.printf("N = %d: code mode reads %d (description+schema %d, answer %d), direct reads %d (schemas %d, results %d)%n",
        n, codeRead, description, answer, directRead, schemas, createResult + readResult);
    System.out.printf("  %.1f %% fewer bytes read; %.1f %% counting what the model writes too (code %d, arguments %d);"
        + " %.1f %% summed over the turns (each re-reads the context so far)%n",
        saving(codeRead, directRead), saving(codeAll, directAll), bytes(code), createArgs + bytes("{}"),
        saving(codeTurns, directTurns));
  }

  private static double saving(long codeMode, long direct) {
    return 100.0 * (direct - codeMode) / direct;
  }

  private static long schemaBytes(ServerParameters server) throws Exception {
    McpSyncClient client = McpClient.sync(new StdioClientTransport(server, new JacksonMcpJsonMapper(new ObjectMapper()))).build();
    try {
      client.initialize();
      return bytes(JSON.writeValueAsString(client.listTools().tools()));
    } finally {
      client.closeGracefully();
    }
  }

  // What a client shows the model of a CallToolResult: its text blocks, plus structuredContent.
  // Code mode is charged for both; a direct call only for the larger of the two (clients show one or the other).
  private static long shown(JsonNode result, boolean both) {
    long text = 0;
    for (JsonNode b : result.path("content")) {
      text += bytes(b.path("text").asText(""));
    }
    long structured = result.hasNonNull("structuredContent") ? bytes(result.get("structuredContent").toString()) : 0;
    return both ? text + structured : Math.max(text, structured);
  }

  private static long bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
