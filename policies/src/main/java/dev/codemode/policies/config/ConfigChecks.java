package dev.codemode.policies.config;

/**
 * The checks every validator of a configuration section shares: a failed check names the file, the
 * line of the key (or, inside a named profile, of the key it inherits from {@code default}) and the key path.
 */
final class ConfigChecks {
  private final String source;
  private final LineIndex lines;

  ConfigChecks(String source, LineIndex lines) {
    this.source = source;
    this.lines = lines;
  }

  void require(boolean ok, String at, String problem) {
    if (!ok) {
      throw fail(at, problem);
    }
  }

  ConfigException fail(String at, String problem) {
    String defaultPath = at.replaceFirst("^profiles\\.[^.]+", "profiles.default");
    return new ConfigException(source, lines.lineOf(at, defaultPath), at, problem);
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
