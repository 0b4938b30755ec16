package dev.codemode.server;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.secrets.SecretSource;
import dev.codemode.policies.secrets.SecretTemplate;
import dev.codemode.server.secrets.SecretUnavailableException;
import dev.codemode.server.secrets.SourceReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Resolves configured secrets on the host: compiled {@link SecretTemplate}s (and, for settings still held as
 * text, {@code ${env:…}}, {@code ${file:…}}, {@code ${credential:…}} references in a string). Values are read
 * when used, so a rotated file or a refreshed token is picked up without a restart. Resolved values never
 * enter the sandbox and never appear in an exception's text; {@link #values()} lists every value handed out,
 * for scrubbers.
 */
public final class Secrets implements Function<String, String> {
  private static final int MIN_SECRET_CHARS = 4;
  private static final int MAX_REMEMBERED = 256;
  private final Map<String, String> environment;
  private final Map<String, SecretSource> named;
  private final SourceReader reader;
  private final Set<String> handedOut = new LinkedHashSet<>();

  public Secrets(Map<String, String> environment) {
    this(environment, Map.of());
  }

  public Secrets(Map<String, String> environment, Map<String, SecretSource> named) {
    this.environment = Map.copyOf(environment);
    this.named = Map.copyOf(named);
    this.reader = new SourceReader(this.environment, this::resolve);
  }

  /** Secrets from the server process's environment, without named credentials. */
  public static Secrets fromEnvironment() {
    return new Secrets(System.getenv());
  }

  /** Secrets from the server process's environment and {@code config}'s {@code credentials:}. */
  public static Secrets fromEnvironment(CodemodeConfig config) {
    return new Secrets(System.getenv(), config.credentials());
  }

  /**
   * The template's current value.
   *
   * @throws SecretUnavailableException naming the reference (never a value) when a source cannot be read
   */
  public String resolve(SecretTemplate template) {
    return resolveParts(template).value();
  }

  /** A resolved template: its value and the values its references gave (each a secret on its own). */
  public record Resolved(String value, List<String> secrets) {
    @Override
    public String toString() {
      return "Resolved[<redacted>]";
    }
  }

  /** As {@link #resolve}, also naming the values of its references. */
  public Resolved resolveParts(SecretTemplate template) {
    StringBuilder out = new StringBuilder();
    List<String> parts = new ArrayList<>();
    for (SecretTemplate.Part part : template.parts()) {
      if (part instanceof SecretTemplate.Literal literal) {
        out.append(literal.text());
      } else {
        String value = reader.read(((SecretTemplate.Ref) part).source());
        remember(value);
        parts.add(value);
        out.append(value);
      }
    }
    return new Resolved(out.toString(), List.copyOf(parts));
  }

  /**
   * Checks at start-up what can be checked without side effects: every {@code ${env:…}} is set and every
   * {@code ${file:…}} is readable (a command or a token endpoint is first used on demand).
   *
   * @throws SecretUnavailableException naming the first missing one
   */
  public void requireAvailable(SecretTemplate template) {
    for (SecretSource source : template.sources()) {
      reader.requireAvailable(source);
    }
  }

  /** Whether the variable is set in the environment these secrets read. */
  public boolean isSet(SecretSource.Env env) {
    return environment.containsKey(env.name());
  }

  /** Forgets cached command output and tokens of the template's sources, so the next use fetches anew (after a 401). */
  public boolean refresh(SecretTemplate template) {
    boolean any = false;
    for (SecretSource source : template.sources()) {
      any |= reader.invalidate(source);
    }
    return any;
  }

  /** Every secret value handed out so far (the most recent {@value #MAX_REMEMBERED}), for scrubbing text. */
  public List<String> values() {
    synchronized (handedOut) {
      return new ArrayList<>(handedOut);
    }
  }

  private void remember(String value) {
    if (value.length() < MIN_SECRET_CHARS) {
      return;
    }
    synchronized (handedOut) {
      handedOut.remove(value);
      handedOut.add(value);
      if (handedOut.size() > MAX_REMEMBERED) {
        handedOut.remove(handedOut.iterator().next());
      }
    }
  }

  /** {@code value} with its references resolved; null stays null. */
  @Override
  public String apply(String value) {
    if (value == null) {
      return null;
    }
    SecretTemplate template;
    try {
      template = SecretTemplate.parse(value, named);
    } catch (IllegalArgumentException e) {
      throw new SecretUnavailableException(e.getMessage());
    }
    requireAvailable(template);
    return resolve(template);
  }
}
