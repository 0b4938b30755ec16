package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.List;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/codemode serve --config} with the three real npm servers (everything, memory, filesystem)
 * as downstreams, driven over stdio by the official TypeScript SDK client.
 */
class BrokerEndToEndIT {
  private static final String HOST_ONLY = "host-only-value-7f3a";
  private static DownstreamConfig cfg;
  private static TsClient client;

  @BeforeAll
  static void start() throws Exception {
    cfg = DownstreamConfig.create();
    client = TsClient.start();
    client.connectStdio(Map.of("CODEMODE_IT_MEMORY_FILE", cfg.memoryFile().toString(), "CODEMODE_IT_HOST_ONLY", HOST_ONLY), (Path) null,
        "--config", cfg.config().toString());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
  }

  private static JsonNode run(String code, Map<String, Object> extra) throws Exception {
    return client.execute(code, extra).get("structuredContent");
  }

  private static JsonNode ok(String code) throws Exception {
    JsonNode s = run(code, Map.of());
    assertEquals("ok", s.get("status").asText(), s.toString());
    return s;
  }

  @Test
  void descriptionListsTheServersAndStaysSmall() throws Exception {
    String description = client.listTools().at("/tools/0/description").asText();
    assertTrue(description.length() < 6000, "description has " + description.length() + " characters");
    for (String server : List.of("everything", "memory", "filesystem")) {
      assertTrue(description.contains("\n- " + server), server + " missing from:\n" + description);
    }
    assertFalse(description.contains("get-structured-content"), "tool names stay out of the description");
  }

  @Test
  void echoRoundTrip() throws Exception {
    JsonNode s = ok("return await servers.everything.echo({message: 'hello from the sandbox'})");
    assertEquals("Echo: hello from the sandbox", s.get("result").asText());
    assertEquals("everything.echo", s.at("/tool_calls/0/tool").asText());
    assertTrue(s.at("/tool_calls/0/ok").asBoolean());
  }

  @Test
  void structuredContentArrivesAsAnObject() throws Exception {
    JsonNode s = ok("const w = await servers.everything.getStructuredContent({location: 'Chicago'});"
        + " return {type: typeof w, temperatureIsNumber: typeof w.temperature === 'number', keys: Object.keys(w).sort()}");
    assertEquals("object", s.at("/result/type").asText());
    assertTrue(s.at("/result/temperatureIsNumber").asBoolean());
    assertEquals("[\"conditions\",\"humidity\",\"temperature\"]", s.at("/result/keys").toString());
  }

  @Test
  void toolOutsideTheProfileIsDeniedAndRecorded() throws Exception {
    JsonNode s = run("try { await servers.everything.echo({message: 'x'}); return 'called' } catch (e) { return e.code + ': ' + e.message }",
        Map.of("profile", "memory-only"));
    assertTrue(s.get("result").asText().startsWith("EACCES: tool 'everything.echo' is not in the profile's tools.allow"), s.toString());
    assertEquals(1, s.get("denials").size());
    assertEquals("tool", s.at("/denials/0/kind").asText());
    assertEquals("everything.echo", s.at("/denials/0/target").asText());
    assertEquals(0, s.get("tool_calls").size(), "a denied call never reaches the server");
  }

  @Test
  void allowedToolsNarrowTheProfile() throws Exception {
    JsonNode s = run("const r = await servers.memory.readGraph({});"
        + " try { await servers.everything.echo({message: 'x'}) } catch (e) { return [Array.isArray(r.entities), e.message] }",
        Map.of("allowed_tools", List.of("memory.*")));
    assertEquals("ok", s.get("status").asText(), s.toString());
    assertTrue(s.at("/result/0").asBoolean());
    assertTrue(s.at("/result/1").asText().contains("not in this call's allowed_tools"), s.toString());
    assertEquals("everything.echo", s.at("/denials/0/target").asText());
  }

  @Test
  void badArgumentsAreRefusedOnTheHostNamingTheField() throws Exception {
    JsonNode s = ok("try { await servers.everything.getSum({a: 1, b: 'two'}) } catch (e) { return e.code + ': ' + e.message }");
    assertEquals("EINVAL: invalid arguments for everything.get-sum: 'b': string found, number expected", s.get("result").asText());
  }

  @Test
  void toolErrorsRejectWithTheToolsMessage() throws Exception {
    JsonNode s = ok("try { await servers.filesystem.readTextFile({path: '/etc/hostname'}); return 'read' }"
        + " catch (e) { return e.code + ': ' + e.message }");
    assertTrue(s.get("result").asText().startsWith("ETOOL: filesystem.read_text_file: "), s.toString());
    assertTrue(s.get("result").asText().toLowerCase().contains("denied"), s.toString());
    assertFalse(s.at("/tool_calls/0/ok").asBoolean());
  }

  @Test
  void imagesArriveAsDescriptors() throws Exception {
    JsonNode s = ok("return (await servers.everything.getTinyImage({})).find(b => b.type === 'image')");
    assertEquals("image/png", s.at("/result/mimeType").asText());
    assertTrue(s.at("/result/bytes").asInt() > 100);
    assertEquals(3, s.get("result").size(), "type, mimeType, bytes and no data");
  }

  @Test
  void parallelCallsOverlap() throws Exception {
    JsonNode s = ok("""
        const op = () => servers.everything.triggerLongRunningOperation({duration: 0.5, steps: 1});
        let t0 = Date.now();
        for (let i = 0; i < 10; i++) await op();
        const sequential = Date.now() - t0;
        t0 = Date.now();
        await Promise.all(Array.from({length: 10}, op));
        const parallel = Date.now() - t0;
        return {sequential, parallel};""");
    long sequential = s.at("/result/sequential").asLong();
    long parallel = s.at("/result/parallel").asLong();
    assertTrue(sequential >= 5000, s.toString());
    assertTrue(parallel * 3 < sequential, "10 parallel calls took " + parallel + " ms, 10 sequential " + sequential + " ms");
    assertEquals(20, s.get("tool_calls").size());
  }

  @Test
  void filesystemAndMemoryInOneScript() throws Exception {
    JsonNode s = ok("""
        const dir = (await servers.filesystem.listAllowedDirectories({})).content ?? '';
        const root = String(dir).split('\\n').find(l => l.startsWith('/')).trim();
        await servers.filesystem.writeFile({path: root + '/team.csv', content: 'ada,engineer\\ngrace,admiral\\nalan,engineer'});
        const text = await servers.filesystem.readTextFile({path: root + '/team.csv'});
        const rows = String(text.content).trim().split('\\n').map(l => l.split(','));
        await servers.memory.createEntities({entities: rows.map(([name, role]) => ({name, entityType: role, observations: ['from team.csv']}))});
        const found = await servers.memory.searchNodes({query: 'engineer'});
        return found.entities.map(e => e.name).sort();""");
    assertEquals("[\"ada\",\"alan\"]", s.get("result").toString());
    assertTrue(Files.readString(cfg.filesRoot().resolve("team.csv")).contains("grace,admiral"));
    assertTrue(Files.readString(cfg.memoryFile()).contains("\"ada\""), "MEMORY_FILE_PATH came from ${env:...}");
  }

  @Test
  void discoveryFindsAndDescribesTools() throws Exception {
    JsonNode s = ok("""
        const hits = await codemode.searchTools('sum two numbers');
        const decl = await codemode.describeTool(hits[0].name);
        let missing; try { await codemode.describeTool('everything.nope') } catch (e) { missing = e.message }
        return {hits, decl, missing};""");
    assertEquals("everything.get-sum", s.at("/result/hits/0/name").asText());
    assertEquals("Returns the sum of two numbers", s.at("/result/hits/0/description").asText());
    assertTrue(s.at("/result/decl").asText().contains("export declare function getSum(args: GetSumArgs)"), s.toString());
    assertTrue(s.at("/result/missing").asText().contains("no tool named 'everything.nope'"));
    JsonNode narrowed = run("return await codemode.searchTools('sum')", Map.of("profile", "memory-only"));
    assertEquals(0, narrowed.get("result").size(), "tools the run may not call are not offered");
  }

  @Test
  void downstreamEnvironmentHoldsOnlyWhatIsConfigured() throws Exception {
    JsonNode s = ok("return JSON.stringify(await servers.everything.getEnv({}))");
    assertFalse(s.get("result").asText().contains(HOST_ONLY), "codemode's own environment leaked to a downstream server");
    assertTrue(s.get("result").asText().contains("PATH"), s.toString());
  }

  @Test
  void crashedDownstreamFailsTheCallClearlyAndIsRestarted() throws Exception {
    CompletableFuture<JsonNode> pending = client.executeAsync("""
        try {
          await servers.everything.echo({message: 'up'});
          await servers.everything.triggerLongRunningOperation({duration: 20, steps: 20});
          return 'finished';
        } catch (e) { return e.code + ': ' + e.message }""", Map.of());
    // Well inside the operation (and inside everything's 5 s call timeout).
    Thread.sleep(1500);
    List<ProcessHandle> everything = ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("server-everything")).toList();
    assertFalse(everything.isEmpty(), "server-everything process not found");
    everything.forEach(ProcessHandle::destroyForcibly);
    long t0 = System.nanoTime();
    JsonNode s = pending.get(60, TimeUnit.SECONDS).get("structuredContent");
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 10_000, "the failed call must not wait for its timeout");
    assertTrue(s.get("result").asText().startsWith("EDOWN: downstream server 'everything' exited during the call"), s.toString());
    JsonNode calls = s.get("tool_calls");
    assertFalse(calls.get(calls.size() - 1).get("ok").asBoolean(), s.toString());
    JsonNode again = ok("return await servers.everything.echo({message: 'back'})");
    assertEquals("Echo: back", again.get("result").asText());
  }

  @Test
  void aCallOverTheServersTimeoutFailsAndTheServerStaysUsable() throws Exception {
    JsonNode s = ok("""
        const t0 = Date.now();
        let error; try { await servers.everything.triggerLongRunningOperation({duration: 15, steps: 1}) } catch (e) { error = e.code + ': ' + e.message }
        const ms = Date.now() - t0;
        return {error, ms, after: await servers.everything.echo({message: 'still here'})};""");
    assertEquals("ETIMEDOUT: everything.trigger-long-running-operation did not answer within 5000 ms"
        + " (servers.everything.call_timeout_ms)", s.at("/result/error").asText(), s.toString());
    assertTrue(s.at("/result/ms").asLong() < 9000, s.toString());
    assertEquals("Echo: still here", s.at("/result/after").asText());
  }
}
