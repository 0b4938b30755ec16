package dev.codemode.server.bridge;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** "Did you mean …?" for a mistyped tool or server name: the closest known name, if it is close enough. */
final class NameHints {
  private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

  private NameHints() {}

  /** The known name nearest to {@code typed} (case ignored), when at most a third of it differs. */
  static Optional<String> closest(String typed, Collection<String> known) {
    String t = typed.toLowerCase(Locale.ROOT);
    int allowed = Math.max(2, t.length() / 3);
    return known.stream()
        .map(k -> new Scored(k, DISTANCE.apply(t, k.toLowerCase(Locale.ROOT))))
        .filter(s -> s.distance <= allowed || s.name.toLowerCase(Locale.ROOT).contains(t) && t.length() >= 3)
        .min(Comparator.comparingInt((Scored s) -> s.distance).thenComparing(s -> s.name))
        .map(s -> s.name);
  }

  private record Scored(String name, int distance) {}
}
