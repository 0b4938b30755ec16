package dev.codemode.policies.config;

/** A configuration error that names the file, the line and the key path, e.g. {@code a.yaml:7: profiles.default.proc.wall_ms: ...}. */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final int line;
  private final String keyPath;

  public ConfigException(String source, int line, String keyPath, String problem) {
    super(source + (line > 0 ? ":" + line : "") + ": " + (keyPath.isEmpty() ? "" : keyPath + ": ") + problem);
    this.source = source;
    this.line = line;
    this.keyPath = keyPath;
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
}
