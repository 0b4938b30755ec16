package dev.codemode.policies.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The checks every validator of a configuration section shares: a failed check names the file, the
 * line of the key (or, inside a named profile, of the key it inherits from {@code default}) and the key path.
 */
final class ConfigChecks {
  private final String source;
  private final LineIndex lines;
  private final List<ConfigException> collected = new ArrayList<>();

  ConfigChecks(String source, LineIndex lines) {
    this.source = source;
    this.lines = lines;
  }

  /**
   * Validates one section that does not depend on the others; its first error is kept and null returned,
   * so the next section is still checked and every error is reported at once by {@link #throwCollected}.
   */
  <T> T section(Supplier<T> validate) {
    try {
      return validate.get();
    } catch (ConfigException e) {
      e.errors().stream().filter(error -> !inherited(error)).forEach(collected::add);
      return null;
    }
  }

  /** Throws what {@link #section} kept: the one error, or all of them in file order. */
  void throwCollected() {
    if (!collected.isEmpty()) {
      throw ConfigException.all(collected);
    }
  }

  /** A named profile's error in a key it inherits from {@code default}, where the same error was already reported. */
  private boolean inherited(ConfigException error) {
    String defaultPath = defaultPath(error.keyPath());
    return !defaultPath.equals(error.keyPath()) && !lines.has(error.keyPath()) && collected.stream()
        .anyMatch(c -> c.keyPath().equals(defaultPath) && c.problem().equals(error.problem()));
  }

  private static String defaultPath(String at) {
    return at.replaceFirst("^profiles\\.[^.]+", "profiles.default");
  }

  void require(boolean ok, String at, String problem) {
    if (!ok) {
      throw fail(at, problem);
    }
  }

  ConfigException fail(String at, String problem) {
    return new ConfigException(source, lines.lineOf(at, defaultPath(at)), at, problem);
  }

  long range(String at, Long value, long min, long max) {
    require(value != null, at, "missing");
    require(value >= min && value <= max, at, "must be between " + min + " and " + max + " (got " + value + ")");
    return value;
  }

  long range(String at, Integer value, long min, long max) {
    return range(at, value == null ? null : value.longValue(), min, max);
  }
}
