package dev.codemode.server.artifacts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.policies.ops.ArtifactSettings;
import dev.codemode.runtime.KeptFile;
import dev.codemode.server.audit.LogText;
import dev.codemode.server.blob.BlobStore;
import dev.codemode.server.blob.LocalBlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLConnection;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the files runs leave under {@code /workspace/out/} in a blob store outside the sandbox (a local folder
 * or an S3 bucket every replica reads): {@code <run_id>/<n>.bin} plus a {@code manifest.json} naming them,
 * written last. Guest-chosen names never become host paths. A per-run cap, a per-principal quota, a total
 * cap and an age limit bound the store; making room only ever removes the storing principal's own oldest
 * runs, never another principal's.
 */
public final class ArtifactStore {
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST = "manifest.json";
  private final BlobStore blobs;
  private final ArtifactSettings settings;
  private final Clock clock;

  /** The store in {@code settings.dir()} on this host. */
  public ArtifactStore(ArtifactSettings settings, Clock clock) {
    this(settings, new LocalBlobStore(Path.of(settings.dir())), clock);
  }

  /** The store in {@code blobs}, with the caps and retention of {@code settings}. */
  public ArtifactStore(ArtifactSettings settings, BlobStore blobs, Clock clock) {
    this.blobs = blobs;
    this.settings = settings;
    this.clock = clock;
  }

  /** Stores what {@code runId} kept; returns the artifacts stored, in the run's order. Never throws for bad names. */
  public synchronized List<StoredArtifact> persist(String runId, String principal, boolean redactPii, List<KeptFile> files) {
    if (files.isEmpty() || !ArtifactName.isRunId(runId)) {
      return List.of();
    }
    List<StoredArtifact> stored = new ArrayList<>();
    List<Map<String, Object>> manifest = new ArrayList<>();
    long total = 0;
    try {
      for (KeptFile f : files) {
        String name = ArtifactName.fromGuestPath(f.path());
        if (name == null) {
          LOG.warn("run {}: artifact {} not kept: the name is not a plain relative path", runId, LogText.escape(f.path()));
          continue;
        }
        if (total + f.content().length > settings.maxRunBytes()) {
          LOG.warn("run {}: artifact {} not kept: over the per-run cap of {} bytes", runId, name, settings.maxRunBytes());
          continue;
        }
        total += f.content().length;
        String file = fileOf(stored.size());
        blobs.put(runId, file, f.content());
        StoredArtifact a = new StoredArtifact(runId, name, f.content().length, mimeType(name), clock.millis(), principal, redactPii);
        stored.add(a);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name);
        entry.put("file", file);
        entry.put("bytes", a.bytes());
        entry.put("mime", a.mimeType());
        entry.put("stored_at_ms", a.storedAtMs());
        entry.put("principal", principal);
        entry.put("redact_pii", redactPii);
        manifest.add(entry);
      }
      if (stored.isEmpty()) {
        blobs.deleteFolder(runId);
        return List.of();
      }
      // The manifest last: a run is listed and readable only once all of its files are there.
      blobs.put(runId, MANIFEST, JSON.writeValueAsBytes(manifest));
    } catch (IOException e) {
      LOG.error("run {}: artifacts could not be stored in {}: {}", runId, blobs.describe(), e.toString());
      return List.of();
    }
    prune();
    if (!makeRoom(runId, principal)) {
      LOG.warn("run {}: artifacts not kept: the store is full ({} bytes) with other principals' artifacts", runId,
          settings.maxTotalBytes());
      delete(runId);
      return List.of();
    }
    return stored;
  }

  /**
   * Removes {@code principal}'s oldest runs (never {@code runId} itself, never another principal's) until it is
   * within its quota and the store within its total; false when the store stays over its total even so.
   */
  private boolean makeRoom(String runId, String principal) {
    List<String> own = new ArrayList<>();
    long mine = 0;
    long total = 0;
    for (String id : runIds()) {
      List<StoredArtifact> m = manifest(id);
      long bytes = m.stream().mapToLong(StoredArtifact::bytes).sum();
      total += bytes;
      if (!m.isEmpty() && m.get(0).principal().equals(principal)) {
        mine += bytes;
        if (!id.equals(runId)) {
          own.add(id);
        }
      }
    }
    // Newest first from runIds(): take from the end.
    for (int i = own.size() - 1; i >= 0 && (mine > settings.maxPrincipalBytes() || total > settings.maxTotalBytes()); i--) {
      long bytes = manifest(own.get(i)).stream().mapToLong(StoredArtifact::bytes).sum();
      delete(own.get(i));
      mine -= bytes;
      total -= bytes;
    }
    return total <= settings.maxTotalBytes();
  }

  /** Every artifact in the store that {@code principal} may read, newest run first. */
  public synchronized List<StoredArtifact> list(String principal) {
    List<StoredArtifact> out = new ArrayList<>();
    for (String runId : runIds()) {
      manifest(runId).stream().filter(a -> a.principal().equals(principal)).forEach(out::add);
    }
    return out;
  }

  /** The artifact at {@code uri} and its bytes, when it exists and belongs to {@code principal}. */
  public synchronized Optional<Map.Entry<StoredArtifact, byte[]>> read(String uri, String principal) {
    if (uri == null || !uri.startsWith("artifact://")) {
      return Optional.empty();
    }
    String rest = uri.substring("artifact://".length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    String runId = rest.substring(0, slash);
    String name = rest.substring(slash + 1);
    if (!ArtifactName.isRunId(runId) || !ArtifactName.isValid(name)) {
      return Optional.empty();
    }
    List<StoredArtifact> artifacts = manifest(runId);
    for (int i = 0; i < artifacts.size(); i++) {
      StoredArtifact a = artifacts.get(i);
      if (a.name().equals(name) && a.principal().equals(principal)) {
        try {
          int index = i;
          return blobs.get(runId, fileOf(index)).map(bytes -> Map.entry(a, bytes));
        } catch (IOException e) {
          LOG.warn("artifact {} could not be read from {}: {}", uri, blobs.describe(), e.toString());
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** Removes runs past the age limit (whoever stored them); room for new runs is made by {@link #persist}. */
  public synchronized void prune() {
    long cutoff = clock.millis() - settings.retentionHours() * 3_600_000L;
    for (String runId : runIds()) {
      long storedAt = manifest(runId).stream().mapToLong(StoredArtifact::storedAtMs).max().orElse(0);
      if (storedAt < cutoff) {
        delete(runId);
      }
    }
  }

  private List<String> runIds() {
    try {
      // Run ids are UUIDv7: their text order is their time order.
      return blobs.folders().stream().filter(ArtifactName::isRunId).sorted(Comparator.reverseOrder()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<StoredArtifact> manifest(String runId) {
    try {
      Optional<byte[]> m = blobs.get(runId, MANIFEST);
      if (m.isEmpty()) {
        return List.of();
      }
      List<Map<String, Object>> entries = JSON.readValue(m.get(), new TypeReference<>() {});
      List<StoredArtifact> out = new ArrayList<>();
      for (Map<String, Object> e : entries) {
        out.add(new StoredArtifact(runId, (String) e.get("name"), ((Number) e.get("bytes")).longValue(), (String) e.get("mime"),
            ((Number) e.get("stored_at_ms")).longValue(), (String) e.get("principal"),
            !Boolean.FALSE.equals(e.get("redact_pii"))));
      }
      return out;
    } catch (IOException | RuntimeException e) {
      LOG.warn("artifact manifest of run {} in {} is unreadable: {}", runId, blobs.describe(), e.toString());
      return List.of();
    }
  }

  private static String fileOf(int index) {
    return index + ".bin";
  }

  private void delete(String runId) {
    try {
      blobs.deleteFolder(runId);
    } catch (IOException e) {
      LOG.warn("could not remove expired artifacts of run {}: {}", runId, e.toString());
    }
  }

  static String mimeType(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    if (lower.endsWith(".json")) {
      return "application/json";
    }
    if (lower.endsWith(".md")) {
      return "text/markdown";
    }
    if (lower.endsWith(".csv")) {
      return "text/csv";
    }
    String guessed = URLConnection.guessContentTypeFromName(lower);
    return guessed == null ? "application/octet-stream" : guessed;
  }

}
