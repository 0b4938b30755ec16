package dev.codemode.server.artifacts;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A kept file: its run, its name under {@code /workspace/out/}, its size, when it was stored, by whom, and
 * whether its run's policy tokenizes PII (then text reads are tokenized too).
 */
public record StoredArtifact(String runId, String name, long bytes, String mimeType, long storedAtMs, String principal,
    boolean redactPii) {
  /** {@code artifact://<run_id>/<name>}. */
  public String uri() {
    return ArtifactName.uri(runId, name);
  }

  /** The handle returned in a run's {@code artifacts}: {@code {name, uri, bytes}}. */
  public Map<String, Object> handle() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("uri", uri());
    m.put("bytes", bytes);
    return m;
  }
}
