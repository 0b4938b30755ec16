package dev.codemode.server.artifacts;

import java.util.regex.Pattern;

/**
 * Checks names that come from the sandbox before they become artifact names and URIs. The store never uses
 * a name as a host path (files are stored by index), but a name still reaches clients, so it must be plain.
 */
public final class ArtifactName {
  /** The folder whose files are kept, as the guest sees it. */
  public static final String OUT_PREFIX = "/workspace/out/";
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._ ()+,=@-]{0,127}");
  private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final int MAX_DEPTH = 8;

  private ArtifactName() {}

  /** The artifact name for a kept file's guest path ({@code /workspace/out/a/b.txt} → {@code a/b.txt}), or null if it is not acceptable. */
  public static String fromGuestPath(String guestPath) {
    if (guestPath == null || !guestPath.startsWith(OUT_PREFIX)) {
      return null;
    }
    String name = guestPath.substring(OUT_PREFIX.length());
    return isValid(name) ? name : null;
  }

  /** Whether {@code name} is a plain relative path: 1 to 8 segments, no dot-segments, no control or odd characters. */
  public static boolean isValid(String name) {
    if (name == null || name.isEmpty() || name.length() > 512) {
      return false;
    }
    String[] segments = name.split("/", -1);
    if (segments.length > MAX_DEPTH) {
      return false;
    }
    for (String s : segments) {
      if (!SEGMENT.matcher(s).matches() || s.endsWith(" ") || s.endsWith(".")) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code runId} is a run id as {@code RunIds} makes them (lower-case UUID). */
  public static boolean isRunId(String runId) {
    return runId != null && RUN_ID.matcher(runId).matches();
  }

  /** The URI of an artifact: {@code artifact://<run_id>/<name>}. */
  public static String uri(String runId, String name) {
    return "artifact://" + runId + "/" + name;
  }
}
