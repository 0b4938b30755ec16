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
 * Replicas with {@code http: {stateless: true}} sharing one real redis-server and one S3-compatible server, through
 * the TypeScript SDK client: behind a round-robin balancer without affinity every call is answered; a PII token
 * returned by a run on A is restored in a downstream tool call of a later run of the same principal on B; and a
 * client whose replica is killed initializes on another and loses nothing it stored.
 */
class ReplicasStatelessIT {
  private static final String TOKEN = "stateless-token-0123456789abcdef-pia";
  private static RedisServer redis;
  private static S3Server s3;
  private static Path dir;
  private static final List<ServerProcess> replicas = new ArrayList<>();
  private static final List<Path> memoryFiles = new ArrayList<>();
  private static TsClient client;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    s3 = S3Server.start("codemode-stateless");
    dir = Files.createTempDirectory("codemode-stateless-it");
    for (int i = 0; i < 2; i++) {
      replicas.add(replica(i));
    }
    client = TsClient.start();
  }

  /** Replica {@code i}: its own memory server file, the shared Redis and bucket. */
  private static ServerProcess replica(int i) throws Exception {
    Path memoryServer = TsClient.repoRoot().resolve("testkit/node_modules/@modelcontextprotocol/server-memory/dist/index.js");
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
          store:
            backend: s3
            s3: {endpoint: '%s', bucket: codemode-stateless, prefix: it/, path_style: true}
          """.formatted(memoryServer, memory, TokenHash.configForm(TOKEN), i, redis.url(), s3.endpoint()));
    return ServerProcess.start(config, Map.of("AWS_ACCESS_KEY_ID", s3.keyId, "AWS_SECRET_ACCESS_KEY", s3.secretKey,
        "AWS_REGION", "us-east-1"));
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
    if (s3 != null) {
      s3.close();
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

  @Test
  void aClientWhoseReplicaIsKilledInitializesOnAnotherAndLosesNothingItStored() throws Exception {
    // Killed below, so it is not closed with the others (a cut audit line is not the schema's business).
    ServerProcess doomed = replica(2);
    client.connectHttp("pia@doomed", doomed.url(), Map.of("Authorization", "Bearer " + TOKEN));
    JsonNode first = run("pia@doomed", """
        await fs.writeFile('/workspace/out/contacts.md', '# kept past the replica');
        return {contact: 'ada.lovelace@example.com'}""");
    String token = first.at("/structuredContent/result/contact").asText();
    String uri = first.at("/structuredContent/artifacts/0/uri").asText();
    assertTrue(token.matches("\\[EMAIL_[a-z2-7]{12}]") && uri.startsWith("artifact://"), first.toString());

    ProcessHandle.of(doomed.pid()).ifPresent(h -> {
      h.descendants().forEach(ProcessHandle::destroyForcibly);
      h.destroyForcibly();
    });
    doomed.awaitExit(30);
    assertFalse(doomed.isAlive(), "the replica is gone");

    client.connectHttp("pia@survivor", replicas.get(1).url(), Map.of("Authorization", "Bearer " + TOKEN));
    JsonNode read = client.readResourceRaw("pia@survivor", uri);
    assertEquals("# kept past the replica", read.at("/value/contents/0/text").asText(), read.toString());
    JsonNode second = run("pia@survivor", """
        await servers.memory.createEntities({entities: [{name: 'ada', entityType: 'person', observations: ['%s']}]});
        return 'stored'""".formatted(token));
    assertEquals("stored", second.at("/structuredContent/result").asText(), second.toString());
    assertTrue(Files.readString(memoryFiles.get(1)).contains("ada.lovelace@example.com"),
        "the survivor's tool got the real value of a token the killed replica issued");
  }
}
