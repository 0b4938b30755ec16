package dev.codemode.policies.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The {@code deny_globs} of a file policy, compiled once; answers which pattern denies a path. */
public final class DenyGlobs {
  /** Profiles are few and fixed by the config; beyond this many distinct lists, compile without keeping. */
  private static final int MAX_KEPT = 256;
  private static final Map<List<String>, DenyGlobs> KEPT = new ConcurrentHashMap<>();
  private final List<GlobPattern> patterns;

  private DenyGlobs(List<GlobPattern> patterns) {
    this.patterns = patterns;
  }

  /**
   * The compiled form of {@code patterns}, compiled on first use and kept: every run of a profile builds its
   * file system from the same list, and compiling it per run was most of the host's work for a small run.
   */
  public static DenyGlobs of(List<String> patterns) {
    DenyGlobs kept = KEPT.get(patterns);
    if (kept != null) {
      return kept;
    }
    List<String> key = List.copyOf(patterns);
    DenyGlobs compiled = compile(key);
    if (KEPT.size() < MAX_KEPT) {
      KEPT.putIfAbsent(key, compiled);
    }
    return compiled;
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
