package dev.codemode.policies.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code deny_globs} of a file policy, compiled once; answers which pattern denies a path. */
public final class DenyGlobs {
  private final List<GlobPattern> patterns;

  private DenyGlobs(List<GlobPattern> patterns) {
    this.patterns = patterns;
  }

  /** Compiles every pattern; a bad one throws {@link IllegalArgumentException} naming it. */
  public static DenyGlobs compile(List<String> patterns) {
    List<GlobPattern> compiled = new ArrayList<>();
    for (String p : patterns) {
      compiled.add(GlobPattern.compile(p));
    }
    return new DenyGlobs(List.copyOf(compiled));
  }

  /** The first pattern (in configured order) matching the absolute path given by its segments. */
  public Optional<GlobPattern> firstMatch(List<String> segments) {
    for (GlobPattern p : patterns) {
      if (p.matches(segments)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The first pattern matching a virtual path. */
  public Optional<GlobPattern> firstMatch(VirtualPath path) {
    return firstMatch(path.segments());
  }

  public List<GlobPattern> patterns() {
    return patterns;
  }
}
