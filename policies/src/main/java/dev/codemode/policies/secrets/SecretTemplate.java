package dev.codemode.policies.secrets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configured secret value, compiled: literal text and references to {@link SecretSource}s, e.g.
 * {@code 'Bearer ${credential:idp}'}. References: {@code ${env:NAME}}, {@code ${file:/abs/path}},
 * {@code ${credential:NAME}} (a source under the top-level {@code credentials:}). Printing one shows its
 * references, never a value; a template without references (a literal secret) prints as {@code <redacted>}.
 */
public record SecretTemplate(List<Part> parts) {
  private static final Pattern REF = Pattern.compile("\\$\\{(env|file|credential):([^}]*)}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** One piece of a template. */
  public sealed interface Part {}

  /** Text as written. */
  public record Literal(String text) implements Part {}

  /** A reference, replaced by the source's current value. */
  public record Ref(SecretSource source) implements Part {}

  public SecretTemplate {
    parts = List.copyOf(parts);
  }

  /**
   * Compiles {@code text}; {@code named} are the top-level {@code credentials:} sources.
   *
   * @throws IllegalArgumentException naming the bad reference and the allowed forms
   */
  public static SecretTemplate parse(String text, Map<String, SecretSource> named) {
    List<Part> parts = new ArrayList<>();
    Matcher m = REF.matcher(text);
    int last = 0;
    while (m.find()) {
      literal(text.substring(last, m.start()), parts);
      String arg = m.group(2);
      parts.add(new Ref(switch (m.group(1)) {
        case "env" -> {
          if (!ENV_NAME.matcher(arg).matches()) {
            throw new IllegalArgumentException("'${env:" + arg + "}' is not a valid variable name");
          }
          yield new SecretSource.Env(arg);
        }
        case "file" -> {
          if (!arg.startsWith("/")) {
            throw new IllegalArgumentException("'${file:" + arg + "}' needs an absolute path");
          }
          yield new SecretSource.File(Path.of(arg).normalize());
        }
        default -> {
          SecretSource s = named.get(arg);
          if (s == null) {
            throw new IllegalArgumentException("'${credential:" + arg + "}' names no entry under credentials"
                + (named.isEmpty() ? "" : " (defined: " + String.join(", ", new java.util.TreeSet<>(named.keySet())) + ")"));
          }
          yield s;
        }
      }));
      last = m.end();
    }
    literal(text.substring(last), parts);
    return new SecretTemplate(parts);
  }

  private static void literal(String text, List<Part> parts) {
    if (text.contains("${")) {
      throw new IllegalArgumentException("unsupported '${' reference (allowed: ${env:NAME}, ${file:/path}, ${credential:NAME})");
    }
    if (!text.isEmpty()) {
      parts.add(new Literal(text));
    }
  }

  /** The sources this template reads. */
  public List<SecretSource> sources() {
    return parts.stream().filter(p -> p instanceof Ref).map(p -> ((Ref) p).source()).toList();
  }

  /** The template as written, literal text included: host-side only (a literal secret written in the file shows here). */
  public String written() {
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) {
      sb.append(p instanceof Ref r ? r.source().reference() : ((Literal) p).text());
    }
    return sb.toString();
  }

  /** The references, or {@code <redacted>} for a literal secret; also the JSON form, so snapshots never hold a literal. */
  @com.fasterxml.jackson.annotation.JsonValue
  @Override
  public String toString() {
    return sources().isEmpty() ? "<redacted>" : written();
  }
}
