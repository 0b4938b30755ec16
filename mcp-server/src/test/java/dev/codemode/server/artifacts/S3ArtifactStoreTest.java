package dev.codemode.server.artifacts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.ops.ArtifactSettings;
import dev.codemode.policies.ops.BlobStoreSettings;
import dev.codemode.runtime.KeptFile;
import dev.codemode.server.RunIds;
import dev.codemode.server.blob.S3BlobStore;
import dev.codemode.server.e2e.S3Server;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Artifacts in an S3-compatible bucket (s3proxy on loopback, SigV4 on), through the client the server builds from
 * {@code store.s3} and the AWS default credential chain: two stores on one bucket stand for two replicas.
 */
class S3ArtifactStoreTest {
  private static S3Server server;
  private static S3Client client;
  private static BlobStoreSettings.S3 settings;

  @BeforeAll
  static void start() throws Exception {
    server = S3Server.start("codemode-it");
    // The default chain reads these system properties (in production: the environment, a profile or a role).
    System.setProperty("aws.accessKeyId", server.keyId);
    System.setProperty("aws.secretAccessKey", server.secretKey);
    settings = new BlobStoreSettings.S3(server.endpoint(), "codemode-it", "team-a/", "us-east-1", true);
    client = S3BlobStore.client(settings);
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private static ArtifactStore replica(Clock clock) {
    return new ArtifactStore(new ArtifactSettings("/unused", 1 << 20, 8 << 20, 1), new S3BlobStore(client, settings, "artifacts"),
        clock);
  }

  @Test
  void anArtifactStoredByOneReplicaIsReadByAnotherAndOnlyByItsPrincipal() {
    ArtifactStore a = replica(Clock.systemUTC());
    ArtifactStore c = replica(Clock.systemUTC());
    String runId = RunIds.next();
    byte[] report = "quarterly: 42\n".getBytes(StandardCharsets.UTF_8);
    List<StoredArtifact> stored = a.persist(runId, "alice", true, List.of(new KeptFile("/workspace/out/report.txt", report)));
    assertEquals(1, stored.size());
    Map.Entry<StoredArtifact, byte[]> read = c.read(stored.get(0).uri(), "alice").orElseThrow();
    assertArrayEquals(report, read.getValue());
    assertEquals("report.txt", read.getKey().name());
    assertTrue(c.read(stored.get(0).uri(), "mallory").isEmpty(), "another principal cannot read it");
    assertTrue(c.list("alice").stream().anyMatch(x -> x.runId().equals(runId)));
    assertTrue(c.list("mallory").isEmpty());
    assertTrue(server.keys("codemode-it").contains("team-a/artifacts/" + runId + "/manifest.json"), server.keys("codemode-it").toString());
  }

  @Test
  void retentionRemovesOldRunsFromTheBucket() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    ArtifactStore then = replica(Clock.fixed(t0, ZoneOffset.UTC));
    String runId = RunIds.next();
    StoredArtifact old = then.persist(runId, "bob", false, List.of(new KeptFile("/workspace/out/a.bin", new byte[] {1, 2, 3})))
        .get(0);
    ArtifactStore later = replica(Clock.fixed(t0.plus(Duration.ofHours(2)), ZoneOffset.UTC));
    later.prune();
    assertTrue(later.read(old.uri(), "bob").isEmpty(), "past retention_hours the run is gone");
    assertTrue(server.keys("codemode-it").stream().noneMatch(k -> k.contains(runId)), "its objects are deleted");
  }
}
