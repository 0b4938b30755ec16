package dev.codemode.server.quarantine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.codemode.server.artifacts.ArtifactName;
import dev.codemode.server.audit.AuditEvent;
import dev.codemode.server.audit.PolicySnapshot;
import dev.codemode.server.audit.RunIdentity;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Quarantine bundles, one folder per run under the quarantine folder: {@code meta.json}, {@code code.js},
 * {@code console.txt} (its head), {@code audit.jsonl}, {@code policy.json}, {@code tool_calls.json}.
 * Written complete into a temporary folder and then renamed, so a bundle is never half there.
 */
public final class QuarantineStore {
  /** The files of a bundle, in the order {@code show} and {@code export} use. */
  public static final List<String> FILES = List.of("meta.json", "code.js", "console.txt", "audit.jsonl", "policy.json", "tool_calls.json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int CONSOLE_HEAD_CHARS = 8192;
  private final Path dir;

  public QuarantineStore(Path dir) {
    this.dir = dir;
  }

  /** What a bundle holds; strings are already scrubbed of configured secrets. */
  public record Bundle(RunIdentity identity, List<String> triggers, String status, String code, String console,
      List<AuditEvent> events, PolicySnapshot policy, List<Map<String, Object>> toolCalls) {}

  /** Writes {@code b}; returns its folder. */
  public Path write(Bundle b) throws IOException {
    String runId = b.identity().runId();
    if (!ArtifactName.isRunId(runId)) {
      throw new IllegalArgumentException("not a run id: " + runId);
    }
    dev.codemode.server.audit.OwnerOnly.folder(dir);
    Path tmp = Files.createTempDirectory(dir, ".incoming-");
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("run_id", runId);
    meta.put("task_id", b.identity().taskId());
    meta.put("principal", b.identity().principal());
    meta.put("session", b.identity().sessionId());
    meta.put("profile", b.identity().profile());
    meta.put("status", b.status());
    meta.put("triggers", b.triggers());
    meta.put("quarantined_at", Instant.now().toString());
    meta.put("policy_sha256", b.policy().sha256());
    PRETTY.writeValue(tmp.resolve("meta.json").toFile(), meta);
    Files.writeString(tmp.resolve("code.js"), b.code(), StandardCharsets.UTF_8);
    String console = b.console().length() > CONSOLE_HEAD_CHARS ? b.console().substring(0, CONSOLE_HEAD_CHARS) + "\n…[cut]\n" : b.console();
    Files.writeString(tmp.resolve("console.txt"), console, StandardCharsets.UTF_8);
    StringBuilder audit = new StringBuilder();
    for (AuditEvent e : b.events()) {
      audit.append(dev.codemode.server.audit.AuditJson.line(e)).append('\n');
    }
    Files.writeString(tmp.resolve("audit.jsonl"), audit, StandardCharsets.UTF_8);
    PRETTY.writeValue(tmp.resolve("policy.json").toFile(), JSON.readTree(b.policy().json()));
    PRETTY.writeValue(tmp.resolve("tool_calls.json").toFile(), b.toolCalls());
    Path target = dir.resolve(runId);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  /** Every bundle's {@code meta.json}, newest first. */
  public List<JsonNode> list() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> ArtifactName.isRunId(p.getFileName().toString())).sorted(java.util.Comparator.reverseOrder()).toList()) {
        Path meta = p.resolve("meta.json");
        if (Files.isRegularFile(meta)) {
          out.add(JSON.readTree(meta.toFile()));
        }
      }
    }
    return out;
  }

  /** The folder of bundle {@code id}, when it exists (ids are run ids; anything else is refused). */
  public Optional<Path> find(String id) {
    if (!ArtifactName.isRunId(id)) {
      return Optional.empty();
    }
    Path p = dir.resolve(id);
    return Files.isRegularFile(p.resolve("meta.json")) ? Optional.of(p) : Optional.empty();
  }

  /** Writes bundle {@code id} as a tar.gz of its files under a folder named after it. */
  public void export(String id, OutputStream out) throws IOException {
    Path bundle = find(id).orElseThrow(() -> new IllegalArgumentException("no quarantine bundle '" + id + "'"));
    try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (String name : FILES) {
        Path f = bundle.resolve(name);
        if (!Files.isRegularFile(f)) {
          continue;
        }
        byte[] bytes = Files.readAllBytes(f);
        TarArchiveEntry entry = new TarArchiveEntry(id + "/" + name);
        entry.setSize(bytes.length);
        entry.setMode(0600);
        entry.setModTime(Files.getLastModifiedTime(f));
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }
}
