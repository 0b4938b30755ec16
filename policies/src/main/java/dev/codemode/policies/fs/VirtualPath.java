package dev.codemode.policies.fs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A normalized absolute path in the guest's virtual file system, held as a list of segments.
 *
 * <p>Parsing rules: a relative path starts at {@code /workspace}; empty and {@code .} segments
 * are dropped; {@code ..} removes the previous segment and stays at {@code /} when there is none
 * (POSIX). This happens lexically, before any policy check, so that a check always sees the path
 * that will be used. Rejected: the empty string, NUL and every other control character, the
 * backslash (never a separator, and never a literal, so that no layer can read it differently),
 * more than {@value #MAX_PATH_BYTES} UTF-8 bytes, a segment longer than
 * {@value #MAX_SEGMENT_BYTES} UTF-8 bytes. No Unicode normalization: look-alike characters are
 * ordinary characters of a segment.
 */
public final class VirtualPath {
  public static final int MAX_PATH_BYTES = 4096;
  public static final int MAX_SEGMENT_BYTES = 255;
  public static final VirtualPath ROOT = new VirtualPath(List.of());
  public static final VirtualPath WORKSPACE = new VirtualPath(List.of("workspace"));

  private final List<String> segments;

  private VirtualPath(List<String> segments) {
    this.segments = List.copyOf(segments);
  }

  /** Parses a guest path; throws {@link IllegalArgumentException} naming the rule it broke. */
  public static VirtualPath parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new IllegalArgumentException("empty path");
    }
    if (raw.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      throw new IllegalArgumentException("path longer than " + MAX_PATH_BYTES + " bytes");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == 0) {
        throw new IllegalArgumentException("path contains NUL");
      }
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("path contains a control character");
      }
      if (c == '\\') {
        throw new IllegalArgumentException("path contains a backslash");
      }
    }
    List<String> out = new ArrayList<>();
    if (raw.charAt(0) != '/') {
      out.addAll(WORKSPACE.segments);
    }
    for (String segment : raw.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
        continue;
      }
      if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
        throw new IllegalArgumentException("path segment longer than " + MAX_SEGMENT_BYTES + " bytes");
      }
      out.add(segment);
    }
    return new VirtualPath(out);
  }

  /** The path's segments; empty for the root. */
  public List<String> segments() {
    return segments;
  }

  public boolean isRoot() {
    return segments.isEmpty();
  }

  /** The last segment; the empty string for the root. */
  public String name() {
    return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
  }

  /** The parent; the root is its own parent. */
  public VirtualPath parent() {
    return segments.isEmpty() ? this : new VirtualPath(segments.subList(0, segments.size() - 1));
  }

  /** This path with one more segment, checked by the same rules as {@link #parse}. */
  public VirtualPath child(String name) {
    VirtualPath parsed = parse(toString() + "/" + name);
    if (parsed.segments.size() != segments.size() + 1 || !parsed.startsWith(this)) {
      throw new IllegalArgumentException("not a single path segment: " + name);
    }
    return parsed;
  }

  /** Whether {@code prefix} is this path or one of its ancestors, compared segment by segment. */
  public boolean startsWith(VirtualPath prefix) {
    return segments.size() >= prefix.segments.size()
        && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
  }

  /** The segments after {@code prefix}, which must be an ancestor or this path. */
  public List<String> relativeTo(VirtualPath prefix) {
    if (!startsWith(prefix)) {
      throw new IllegalArgumentException(this + " is not under " + prefix);
    }
    return segments.subList(prefix.segments.size(), segments.size());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VirtualPath other && segments.equals(other.segments);
  }

  @Override
  public int hashCode() {
    return segments.hashCode();
  }

  @Override
  public String toString() {
    return "/" + String.join("/", segments);
  }
}
