package dev.codemode.policies.net;

import dev.codemode.policies.Printable;
import dev.codemode.policies.Wildcard;
import java.util.List;
import java.util.Locale;

/**
 * A path pattern matched against a {@link RequestPath}'s decoded segments: {@code *} matches any
 * characters within one segment, a whole {@code **} segment matches zero or more segments; every other
 * character matches itself exactly.
 */
public final class PathGlob {
  private final String pattern;
  private final List<String> segments;

  private PathGlob(String pattern, List<String> segments) {
    this.pattern = pattern;
    this.segments = segments;
  }

  /**
   * Compiles {@code pattern}.
   *
   * @throws IllegalArgumentException when it does not start with {@code /}, has {@code .}, {@code ..} or
   *     empty inner segments, {@code **} inside a segment, or characters a decoded path can never hold
   */
  public static PathGlob compile(String pattern) {
    if (pattern == null || pattern.isEmpty() || pattern.charAt(0) != '/') {
      throw new IllegalArgumentException("path glob '" + pattern + "' must start with '/'");
    }
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c <= 0x20 || c == 0x7f || c == '%' || c == '\\' || c == '?' || c == '#' || c == ';') {
        throw new IllegalArgumentException(
            "path glob '" + Printable.of(pattern) + "' contains '" + Printable.of(String.valueOf(c))
                + "' (globs match the decoded path; whitespace, control characters, % \\ ? # ; are not allowed)");
      }
    }
    String[] parts = pattern.substring(1).split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() && i < parts.length - 1) {
        throw new IllegalArgumentException("path glob '" + pattern + "' has an empty segment");
      }
      if (part.equals(".") || part.equals("..")) {
        throw new IllegalArgumentException("path glob '" + pattern + "' has a '" + part + "' segment");
      }
      if (part.contains("**") && !part.equals("**")) {
        throw new IllegalArgumentException("path glob '" + pattern + "': '**' must be a whole segment");
      }
    }
    return new PathGlob(pattern, List.of(parts));
  }

  /** Whether the decoded path matches. */
  public boolean matches(RequestPath path) {
    return matchFrom(segments, 0, path.segments(), 0, false);
  }

  /** Whether the decoded path matches, ignoring case (for deny lists, where wider is safer). */
  public boolean matchesIgnoreCase(RequestPath path) {
    return matchFrom(segments, 0, path.segments(), 0, true);
  }

  private static boolean matchFrom(List<String> glob, int gi, List<String> path, int pi, boolean ignoreCase) {
    while (gi < glob.size()) {
      String g = glob.get(gi);
      if (g.equals("**")) {
        for (int skip = pi; skip <= path.size(); skip++) {
          if (matchFrom(glob, gi + 1, path, skip, ignoreCase)) {
            return true;
          }
        }
        return false;
      }
      if (pi >= path.size() || !segmentMatches(g, path.get(pi), ignoreCase)) {
        return false;
      }
      gi++;
      pi++;
    }
    return pi == path.size();
  }

  private static boolean segmentMatches(String glob, String segment, boolean ignoreCase) {
    String g = ignoreCase ? glob.toLowerCase(Locale.ROOT) : glob;
    String s = ignoreCase ? segment.toLowerCase(Locale.ROOT) : segment;
    return Wildcard.matches(g, s);
  }

  @Override
  public String toString() {
    return pattern;
  }
}
