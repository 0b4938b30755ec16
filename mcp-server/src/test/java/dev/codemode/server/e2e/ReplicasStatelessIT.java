package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.server.auth.TokenHash;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas with {@code http: {stateless: true}} sharing one real redis-server, through the TypeScript SDK client:
 * behind a round-robin balancer without affinity every call is answered, and a PII token returned by a run on A is
 * restored in a downstream tool call of a later run of the same principal on B.
 */
class ReplicasStatelessIT {
  private static final String TOKEN = "stateless-token-0123456789abcdef-pia";
  private static RedisServer redis;
  private static final List<ServerProcess> replicas = new ArrayList<>();
  private static final List<Path> memoryFiles = new ArrayList<>();
  private static TsClient client;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    Path dir = Files.createTempDirectory("codemode-stateless-it");
    Path memoryServer = TsClient.repoRoot().resolve("testkit/node_modules/@modelcontextprotocol/server-memory/dist/index.js");
    for (int i = 0; i < 2; i++) {
      Path memory = dir.resolve("memory-" + i + ".jsonl");
      memoryFiles.add(memory);
      Path config = Files.writeString(dir.resolve("replica-" + i + ".yaml"), """
          profiles:
            default:
              tools: {allow: ['memory.*']}
          servers:
            memory: {command: node, args: ['%s'], env: {MEMORY_FILE_PATH: '%s'}}
          http: {stateless: true}
          auth:
            tokens:
              - {principal: pia, sha256: '%s', profiles: [default]}
          artifacts: {dir: artifacts-%d}
          state: {backend: redis, url: '%s', key_prefix: stateless-it}
          """.formatted(memoryServer, memory, TokenHash.configForm(TOKEN), i, redis.url()));
      replicas.add(ServerProcess.start(config));
    }
    client = TsClient.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    for (ServerProcess r : replicas) {
      r.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static JsonNode run(String clientName, String code) throws Exception {
    return TsClient.value(client.executeAs(clientName, code, Map.of()).get(60, TimeUnit.SECONDS));
  }

  @Test
  void behindARoundRobinBalancerEveryCallIsAnswered() throws Exception {
    List<URI> backends = replicas.stream().map(r -> URI.create(r.base())).toList();
    try (RoundRobinBalancer lb = new RoundRobinBalancer(backends)) {
      client.connectHttp("lb", lb.url("/mcp"), Map.of("Authorization", "Bearer " + TOKEN));
      for (int i = 0; i < 6; i++) {
        JsonNode r = run("lb", "return " + i + " * 7");
        assertEquals(i * 7, r.at("/structuredContent/result").asInt(), r.toString());
      }
      assertTrue(lb.served(0) >= 3 && lb.served(1) >= 3, "both replicas answered: " + lb.served(0) + ", " + lb.served(1));
      client.closeClient("lb");
    }
  }

  @Test
  void aPiiTokenFromARunOnAIsRestoredInAToolCallOfALaterRunOnB() throws Exception {
    client.connectHttp("pia@A", replicas.get(0).url(), Map.of("Authorization", "Bearer " + TOKEN));
    client.connectHttp("pia@B", replicas.get(1).url(), Map.of("Authorization", "Bearer " + TOKEN));
    JsonNode first = run("pia@A", "return {contact: 'grace.hopper@example.com'}");
    String token = first.at("/structuredContent/result/contact").asText();
    assertTrue(token.matches("\\[EMAIL_[a-z2-7]{12}]"), first.toString());
    assertFalse(first.toString().contains("grace.hopper@example.com"), first.toString());
    JsonNode second = run("pia@B", """
        await servers.memory.createEntities({entities: [{name: 'contact', entityType: 'person', observations: ['%s']}]});
        return 'stored'""".formatted(token));
    assertEquals("stored", second.at("/structuredContent/result").asText(), second.toString());
    String storedOnB = Files.readString(memoryFiles.get(1));
    assertTrue(storedOnB.contains("grace.hopper@example.com"), "B's tool got the real value: " + storedOnB);
    assertFalse(second.toString().contains("grace.hopper@example.com"), "the model still sees the token: " + second);
  }
}
