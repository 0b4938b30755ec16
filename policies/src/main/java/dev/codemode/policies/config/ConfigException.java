package dev.codemode.policies.config;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration error that names the file, the line and the key path, e.g. {@code a.yaml:7: profiles.default.proc.wall_ms: ...};
 * when validation found several, {@link #errors} holds each (the first is this one's source, line and key) and the
 * message has one such line per error.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final int line;
  private final String keyPath;
  private final String problem;
  private final transient List<ConfigException> errors;

  public ConfigException(String source, int line, String keyPath, String problem) {
    super(source + (line > 0 ? ":" + line : "") + ": " + (keyPath.isEmpty() ? "" : keyPath + ": ") + problem);
    this.source = source;
    this.line = line;
    this.keyPath = keyPath;
    this.problem = problem;
    this.errors = List.of(this);
  }

  private ConfigException(List<ConfigException> errors) {
    super(errors.stream().map(Throwable::getMessage).collect(Collectors.joining("\n")));
    this.source = errors.get(0).source;
    this.line = errors.get(0).line;
    this.keyPath = errors.get(0).keyPath;
    this.problem = errors.get(0).problem;
    this.errors = List.copyOf(errors);
  }

  /** {@code errors} as one exception, ordered by line (unknown lines last); one error is itself. */
  static ConfigException all(List<ConfigException> errors) {
    List<ConfigException> sorted = errors.stream()
        .sorted(Comparator.comparingInt((ConfigException e) -> e.line > 0 ? e.line : Integer.MAX_VALUE)).toList();
    return sorted.size() == 1 ? sorted.get(0) : new ConfigException(sorted);
  }

  public String source() {
    return source;
  }

  /** 1-based line, or 0 when unknown. */
  public int line() {
    return line;
  }

  public String keyPath() {
    return keyPath;
  }

  /** What is wrong, without the file, line and key path. */
  public String problem() {
    return problem;
  }

  /** Every error found, each with its own file, line and key path (this one alone when there was one). */
  public List<ConfigException> errors() {
    return errors;
  }
}
