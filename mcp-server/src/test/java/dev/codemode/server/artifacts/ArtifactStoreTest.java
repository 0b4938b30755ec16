package dev.codemode.server.artifacts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.ops.ArtifactSettings;
import dev.codemode.runtime.KeptFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactStoreTest {
  private static final String RUN = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  private static final String OLDER = "0180a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  @TempDir Path dir;

  private ArtifactStore store(long maxRun, long maxTotal, Clock clock) {
    return new ArtifactStore(new ArtifactSettings(dir.toString(), maxRun, maxTotal, 1), clock);
  }

  private static KeptFile file(String path, String content) {
    return new KeptFile(path, content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void storesAndReadsBackByteForByteForTheSamePrincipalOnly() throws Exception {
    ArtifactStore s = store(1 << 20, 1 << 22, Clock.systemUTC());
    byte[] binary = new byte[256];
    for (int i = 0; i < 256; i++) {
      binary[i] = (byte) i;
    }
    List<StoredArtifact> kept = s.persist(RUN, "stdio", true, List.of(file("/workspace/out/report.md", "# hi"),
        new KeptFile("/workspace/out/data/all.bin", binary)));
    assertEquals(List.of("report.md", "data/all.bin"), kept.stream().map(StoredArtifact::name).toList());
    assertEquals("artifact://" + RUN + "/data/all.bin", kept.get(1).uri());
    assertArrayEquals(binary, s.read(kept.get(1).uri(), "stdio").orElseThrow().getValue());
    assertEquals("text/markdown", s.read(kept.get(0).uri(), "stdio").orElseThrow().getKey().mimeType());
    assertTrue(s.read(kept.get(1).uri(), "someone-else").isEmpty());
    assertEquals(2, s.list("stdio").size());
    assertTrue(s.list("someone-else").isEmpty());
    ArtifactResources res = new ArtifactResources(s, "stdio", t -> t.replace("# hi", "# [TOKEN]"));
    assertEquals("# [TOKEN]", ((io.modelcontextprotocol.spec.McpSchema.TextResourceContents)
        res.read(kept.get(0).uri()).contents().get(0)).text(), "text of a redacting run is tokenized on the way out");
    assertArrayEquals(binary, java.util.Base64.getDecoder().decode(((io.modelcontextprotocol.spec.McpSchema.BlobResourceContents)
        res.read(kept.get(1).uri()).contents().get(0)).blob()));
    try (Stream<Path> files = Files.walk(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("report")), "names never become host paths");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/workspace/out/../../etc/passwd", "/workspace/out/./x", "/workspace/out/a//b", "/workspace/out/",
      "/workspace/out/.hidden", "/workspace/out/a\\b", "/workspace/out/new\nline", "/workspace/out/x\u0000y",
      "/workspace/other.txt", "/workspace/out/a/b/c/d/e/f/g/h/i", "/workspace/out/trailing.", "/workspace/out/%2e%2e"})
  void untrustedNamesAreNotKept(String path) {
    ArtifactStore s = store(1 << 20, 1 << 22, Clock.systemUTC());
    assertTrue(s.persist(RUN, "stdio", true, List.of(file(path, "x"))).isEmpty(), path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"artifact://" + RUN + "/../" + RUN + "/0.bin", "artifact://" + RUN + "/0.bin", "artifact://../x/y",
      "artifact://" + RUN, "file:///etc/passwd", "artifact://" + RUN + "/manifest.json"})
  void forgedUrisReadNothing(String uri) {
    ArtifactStore s = store(1 << 20, 1 << 22, Clock.systemUTC());
    s.persist(RUN, "stdio", true, List.of(file("/workspace/out/ok.txt", "x")));
    assertTrue(s.read(uri, "stdio").isEmpty(), uri);
  }

  @Test
  void perRunCapTotalCapAndRetention() {
    Clock now = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    ArtifactStore s = store(10, 15, now);
    List<StoredArtifact> kept = s.persist(OLDER, "stdio", true, List.of(file("/workspace/out/a", "123456"), file("/workspace/out/b", "123456")));
    assertEquals(List.of("a"), kept.stream().map(StoredArtifact::name).toList(), "b is over the per-run cap");
    s.persist(RUN, "stdio", true, List.of(file("/workspace/out/c", "1234567890")));
    assertEquals(List.of("c"), s.list("stdio").stream().map(StoredArtifact::name).toList(), "the older run went to stay under the total");
    ArtifactStore later = new ArtifactStore(new ArtifactSettings(dir.toString(), 10, 15, 1),
        Clock.offset(now, java.time.Duration.ofHours(2)));
    later.prune();
    assertTrue(later.list("stdio").isEmpty());
    assertFalse(Files.exists(dir.resolve(RUN)));
  }

  @Test
  void anotherPrincipalsFloodNeverEvictsMyArtifacts() {
    Clock now = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    ArtifactStore s = new ArtifactStore(new ArtifactSettings(dir.toString(), 10, 30, 1, 20), now);
    s.persist(OLDER, "alice", true, List.of(file("/workspace/out/mine", "1234567890")));
    // Mallory stores run after run: her own oldest runs go, alice's never.
    for (int i = 0; i < 6; i++) {
      String run = String.format("01936b2e-%04x-7000-8000-000000000000", 0x1000 + i);
      s.persist(run, "mallory", true, List.of(file("/workspace/out/flood", "abcdefghij")));
    }
    assertEquals(List.of("mine"), s.list("alice").stream().map(StoredArtifact::name).toList(), "alice's artifact stays");
    assertEquals(2, s.list("mallory").size(), "mallory is held to her quota of 20 bytes");
    // A full store refuses a new run rather than evict someone else's.
    ArtifactStore tight = new ArtifactStore(new ArtifactSettings(dir.resolve("t").toString(), 10, 10, 1, 10), now);
    tight.persist(OLDER, "alice", true, List.of(file("/workspace/out/mine", "1234567890")));
    assertTrue(tight.persist(RUN, "mallory", true, List.of(file("/workspace/out/x", "1"))).isEmpty());
    assertEquals(1, tight.list("alice").size());
  }
}
