package dev.codemode.server.quarantine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.policies.ops.QuarantineTrigger;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.DenialRule;
import dev.codemode.runtime.LimitHit;
import dev.codemode.runtime.LimitKind;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.server.audit.AuditEvent;
import dev.codemode.server.audit.PolicySnapshot;
import dev.codemode.server.audit.RunIdentity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuarantineTest {
  private static final String RUN = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  @TempDir Path dir;

  private static RunResult result(List<Denial> denials, LimitHit limit) {
    return new RunResult(RUN, limit == null ? RunStatus.OK : RunStatus.LIMIT, NullNode.getInstance(), "", null, limit,
        denials, List.of(), List.of(), List.of(), 1, 1);
  }

  private static QuarantineStore store(Path dir, java.time.Clock clock) {
    return new QuarantineStore(new dev.codemode.policies.ops.QuarantineSettings(dir.toString(), List.of(QuarantineTrigger.parse("fs_deny_glob").orElseThrow()),
        2L << 20, 5L << 20, 30), clock);
  }

  private static QuarantineStore.Bundle bundle(String runId, List<AuditEvent> events) {
    return new QuarantineStore.Bundle(new RunIdentity(runId, "t", "stdio", "stdio", "default"), List.of("fs_deny_glob"), "ok",
        "x".repeat(1 << 20), "console", events, PolicySnapshot.of(ConfigLoader.loadDefault().defaultProfile()), List.of());
  }

  private static long size(Path folder) throws Exception {
    try (var s = java.nio.file.Files.list(folder)) {
      long n = 0;
      for (Path f : s.toList()) {
        n += java.nio.file.Files.size(f);
      }
      return n;
    }
  }

  @Test
  void aBundleIsCappedAndItsAuditLinesAreCutWithACount() throws Exception {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      events.add(new AuditEvent("denial", false, Map.of("event", "denial", "target", "/deps/" + "y".repeat(200) + i)));
    }
    Path written = store(dir, java.time.Clock.systemUTC()).write(bundle(RUN, events));
    assertTrue(size(written) <= 2L << 20, "the bundle is within max_bundle_mb: " + size(written));
    List<String> lines = java.nio.file.Files.readAllLines(written.resolve("audit.jsonl"));
    assertTrue(lines.get(0).contains("\"target\":\"/deps/"), "the first events are kept whole");
    String last = lines.get(lines.size() - 1);
    assertTrue(last.contains("\"event\":\"bundle_cut\"") && last.contains("\"events_cut\":" + (20_000 - (lines.size() - 1))), last);
  }

  @Test
  void bundlesPastTheRetentionAndBeyondTheTotalCapArePrunedOldestFirst() throws Exception {
    java.time.Instant t0 = java.time.Instant.parse("2026-12-01T00:00:00Z");
    String[] ids = {"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a51", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a52",
        "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a53", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a54", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a55",
        "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a56"};
    store(dir, java.time.Clock.fixed(t0, java.time.ZoneOffset.UTC)).write(bundle(ids[0], List.of()));
    java.time.Clock later = java.time.Clock.fixed(t0.plus(java.time.Duration.ofDays(31)), java.time.ZoneOffset.UTC);
    store(dir, later).write(bundle(ids[1], List.of()));
    assertEquals(List.of(ids[1]), store(dir, later).list().stream().map(n -> n.path("run_id").asText()).toList(),
        "a bundle past retention_days is removed");
    for (int i = 2; i < ids.length; i++) {
      store(dir, later).write(bundle(ids[i], List.of()));
    }
    assertEquals(List.of(ids[5], ids[4], ids[3], ids[2]), store(dir, later).list().stream().map(n -> n.path("run_id").asText()).toList(),
        "four bundles of just over 1 MiB fit in max_total_mb 5, the oldest of five goes");
  }

  private static QuarantineTriggers triggers(String... names) {
    return new QuarantineTriggers(Arrays.stream(names).map(n -> QuarantineTrigger.parse(n).orElseThrow()).toList());
  }

  @Test
  void triggersMatchTheRuleIdNeverTheReasonText() {
    // The reason text carries guest-chosen parts (URLs, paths, tool names): words in it must not trip, or fail to trip, a trigger.
    QuarantineTriggers t = triggers("fs_deny_glob", "exfil_list");
    assertEquals(List.of(), t.tripped(result(List.of(new Denial(DenialRule.NET_RULE,
        "https://x.example/built-in exfiltration deny rule", "no allow rule matches 'https://x.example/built-in exfiltration deny rule'"),
        new Denial(DenialRule.FS_MOUNT, "/deny_globs", "deny_globs outside every mount")), null)));
    assertEquals(List.of("fs_deny_glob"), t.tripped(result(List.of(new Denial(DenialRule.FS_DENY_GLOB, "/deps/.ENV", "matched")), null)));
  }

  @Test
  void triggersMatchTheirDenialsAndLimits() {
    QuarantineTriggers all = triggers("fs_deny_glob", "exfil_list", "net_denied", "tool_denied", "limit", "limit:memory");
    assertEquals(List.of(), all.tripped(result(List.of(new Denial(DenialRule.FS_READ_ONLY, "/deps/x", "read-only mount /deps")), null)));
    assertEquals(List.of("fs_deny_glob"), all.tripped(result(List.of(new Denial(DenialRule.FS_DENY_GLOB, "/deps/.env", "deny_globs '**/.env'")), null)));
    assertEquals(List.of("exfil_list", "net_denied"), all.tripped(result(List.of(new Denial(DenialRule.NET_EXFIL_LIST, "https://api.anthropic.com/v1/files",
        "built-in exfiltration deny rule 'api.anthropic.com /v1/files': POST /v1/files")), null)));
    assertEquals(List.of("tool_denied"), all.tripped(result(List.of(new Denial(DenialRule.TOOL_UNKNOWN, "x.y", "no downstream server 'x'")), null)));
    assertEquals(List.of("limit"), all.tripped(result(List.of(), new LimitHit(LimitKind.CPU_TIME, "cpu"))));
    assertEquals(List.of("limit", "limit:memory"), all.tripped(result(List.of(), new LimitHit(LimitKind.MEMORY, "mem"))));
  }

  @Test
  void bundleIsWrittenListedShownAndExportedAsTarGz() throws Exception {
    QuarantineStore store = store(dir, java.time.Clock.systemUTC());
    store.write(new QuarantineStore.Bundle(new RunIdentity(RUN, "t", "stdio", "stdio", "default"), List.of("fs_deny_glob"), "error",
        "return await fs.readFile('/deps/.env')", "console head", List.of(new AuditEvent("denial", false,
            Map.of("@timestamp", java.time.Instant.parse("2026-12-03T10:00:00Z"), "event.action", "denial"))),
        PolicySnapshot.of(ConfigLoader.loadDefault().defaultProfile()), List.of()));
    assertEquals(RUN, store.list().get(0).path("run_id").asText());
    assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
        java.nio.file.Files.getPosixFilePermissions(dir.resolve(RUN))), "bundles hold agent code: owner only");
    ByteArrayOutputStream shown = new ByteArrayOutputStream();
    assertEquals(0, QuarantineCommand.run(store, List.of("show", RUN), null, new PrintStream(shown, true, StandardCharsets.UTF_8), System.err));
    assertTrue(shown.toString(StandardCharsets.UTF_8).contains("==> code.js <==\nreturn await fs.readFile('/deps/.env')"));
    Path out = dir.resolve("export.tar.gz");
    assertEquals(0, QuarantineCommand.run(store, List.of("export", RUN), out.toString(), new PrintStream(new ByteArrayOutputStream()), System.err));
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
        new ByteArrayInputStream(java.nio.file.Files.readAllBytes(out))))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        names.add(e.getName());
        if (e.getName().endsWith("audit.jsonl")) {
          assertEquals("{\"@timestamp\":\"2026-12-03T10:00:00Z\",\"log\":{\"level\":\"warn\"},\"ecs\":{\"version\":\""
              + dev.codemode.server.audit.AuditJson.ECS_VERSION + "\"},\"event\":{\"action\":\"denial\"}}\n",
              new String(tar.readAllBytes(), StandardCharsets.UTF_8), "the same JSON form as the audit log");
        }
      }
    }
    assertEquals(QuarantineStore.FILES.stream().map(f -> RUN + "/" + f).toList(), names);
  }

  @Test
  void idsThatAreNotRunIdsAreRefused() throws Exception {
    QuarantineStore store = store(dir, java.time.Clock.systemUTC());
    for (String id : List.of("../etc", "..", "/etc/passwd", RUN + "/../x", "")) {
      assertTrue(store.find(id).isEmpty(), id);
      assertEquals(1, QuarantineCommand.run(store, List.of("export", id), dir.resolve("x").toString(),
          new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())));
    }
  }
}
