package dev.codemode.server.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.runtime.BridgeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's call slots: at most {@link Broker#IO_THREADS} downstream calls run at once, the rest wait,
 * and a slot comes back however its call ends (answer, JSON-RPC error, timeout). The downstream is a
 * minimal JSON-RPC server in Node that counts how many calls it holds at once.
 */
class CallSlotsTest {
  private static final String SERVER = """
      const rl = require('readline').createInterface({input: process.stdin});
      let pending = 0, most = 0;
      const send = (m) => process.stdout.write(JSON.stringify(Object.assign({jsonrpc: '2.0'}, m)) + '\\n');
      const text = (t) => ({content: [{type: 'text', text: String(t)}]});
      rl.on('line', (line) => {
        const m = JSON.parse(line);
        if (m.id === undefined) return;
        if (m.method === 'initialize') return send({id: m.id, result: {protocolVersion: m.params.protocolVersion,
          capabilities: {tools: {}}, serverInfo: {name: 'slots', version: '1'}}});
        if (m.method === 'tools/list') return send({id: m.id, result: {tools: ['hold', 'fail', 'most']
          .map((name) => ({name, inputSchema: {type: 'object'}}))}});
        if (m.method !== 'tools/call') return send({id: m.id, error: {code: -32601, message: 'no such method'}});
        const name = m.params.name;
        if (name === 'fail') return send({id: m.id, error: {code: -32000, message: 'refused on purpose'}});
        if (name === 'most') return send({id: m.id, result: text(most)});
        pending++;
        most = Math.max(most, pending);
        setTimeout(() => { pending--; send({id: m.id, result: text('held')}); }, Number(m.params.arguments.ms));
      });
      """;

  private static Broker broker(Path dir, long callTimeoutMs) throws Exception {
    Path script = Files.writeString(dir.resolve("slots-server.js"), SERVER);
    CodemodeConfig config = ConfigLoader.parse("servers:\n  slots: {command: node, args: ['" + script
        + "'], call_timeout_ms: " + callTimeoutMs + "}\n", "test.yaml", dir);
    return Broker.start(config, new dev.codemode.server.Secrets(System.getenv()));
  }

  @Test
  void noMoreCallsRunAtOnceThanThereAreSlotsAndTheRestWaitTheirTurn(@TempDir Path dir) throws Exception {
    try (Broker broker = broker(dir, 30_000)) {
      List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
      for (int i = 0; i < Broker.IO_THREADS + 8; i++) {
        calls.add(broker.call("slots", "hold", Map.of("ms", 300)));
      }
      for (CompletableFuture<JsonNode> c : calls) {
        assertEquals("held", c.get(20, TimeUnit.SECONDS).path("content").path(0).path("text").asText());
      }
      JsonNode most = broker.call("slots", "most", Map.of()).get(10, TimeUnit.SECONDS);
      assertEquals(String.valueOf(Broker.IO_THREADS), most.path("content").path(0).path("text").asText());
    }
  }

  @Test
  void aSlotComesBackAfterAnErrorAndAfterATimeout(@TempDir Path dir) throws Exception {
    try (Broker broker = broker(dir, 400)) {
      for (int i = 0; i < Broker.IO_THREADS + 8; i++) {
        BridgeException e = failure(broker.call("slots", "fail", Map.of()));
        assertEquals("ETOOL", e.code());
        assertTrue(e.getMessage().contains("refused on purpose"), e.getMessage());
      }
      List<CompletableFuture<JsonNode>> timedOut = new ArrayList<>();
      for (int i = 0; i < Broker.IO_THREADS + 2; i++) {
        timedOut.add(broker.call("slots", "hold", Map.of("ms", 60_000)));
      }
      for (CompletableFuture<JsonNode> c : timedOut) {
        assertEquals("ETIMEDOUT", failure(c).code());
      }
      // Every slot is free again: a quick call is answered at once rather than waiting for one.
      JsonNode answer = broker.call("slots", "hold", Map.of("ms", 1)).get(5, TimeUnit.SECONDS);
      assertEquals("held", answer.path("content").path(0).path("text").asText());
    }
  }

  private static BridgeException failure(CompletableFuture<JsonNode> call) {
    try {
      call.orTimeout(20, TimeUnit.SECONDS).join();
      throw new AssertionError("the call succeeded");
    } catch (CompletionException e) {
      return assertInstanceOf(BridgeException.class, e.getCause());
    }
  }
}
