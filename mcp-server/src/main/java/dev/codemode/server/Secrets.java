package dev.codemode.server;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} references in configured values on the host. Resolved values are never
 * logged and never enter the sandbox; a missing variable is an error naming the variable, not an empty value.
 */
public final class Secrets implements Function<String, String> {
  private static final Pattern REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
  private final Map<String, String> environment;

  public Secrets(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** Secrets from the server process's environment. */
  public static Secrets fromEnvironment() {
    return new Secrets(System.getenv());
  }

  @Override
  public String apply(String value) {
    if (value == null) {
      return null;
    }
    Matcher m = REF.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String resolved = environment.get(m.group(1));
      if (resolved == null) {
        throw new IllegalStateException("environment variable " + m.group(1) + " is not set (referenced as ${env:"
            + m.group(1) + "} in the configuration)");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(resolved));
    }
    m.appendTail(out);
    return out.toString();
  }
}
