package dev.codemode.server.secrets;

import dev.codemode.policies.net.HttpTokens;
import dev.codemode.policies.secrets.SecretSource;
import dev.codemode.policies.secrets.SecretTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reads each {@link SecretSource} and keeps what may be kept: a file's value until its modification time
 * or size changes, a command's output for its TTL, an OAuth token until shortly before it expires. One
 * lock per source, so concurrent requests fetch a token once.
 */
public final class SourceReader {
  private static final int MAX_FILE_BYTES = 64 * 1024;
  private final Map<String, String> environment;
  private final Clock clock;
  private final CommandRunner commands = new CommandRunner();
  private final OAuthTokenClient oauth;
  private final Map<SecretSource, Cached> cache = new ConcurrentHashMap<>();

  /** A value and when it stops being usable; {@code stamp} identifies a file's version. */
  private record Cached(String value, Instant until, Object stamp) {}

  public SourceReader(Map<String, String> environment, Function<SecretTemplate, String> templates) {
    this(environment, templates, Clock.systemUTC());
  }

  SourceReader(Map<String, String> environment, Function<SecretTemplate, String> templates, Clock clock) {
    this.environment = environment;
    this.clock = clock;
    this.oauth = new OAuthTokenClient(templates);
  }

  /** The source's current value; never empty, never with a control character. */
  public String read(SecretSource source) {
    String value;
    if (source instanceof SecretSource.Env env) {
      value = env(env);
    } else if (source instanceof SecretSource.File file) {
      value = file(file);
    } else if (source instanceof SecretSource.Command command) {
      value = timed(command, () -> commands.run(command), command.ttl().toMillis());
    } else {
      SecretSource.OAuthClientCredentials o = (SecretSource.OAuthClientCredentials) source;
      value = timed(o, () -> oauth.fetch(o), -1);
    }
    if (value.isEmpty() || !HttpTokens.isSafeValue(value)) {
      throw new SecretUnavailableException(source.reference() + " is empty or holds a control character");
    }
    return value;
  }

  /** Fails when an env variable is unset or a file unreadable; commands and tokens are not run here. */
  public void requireAvailable(SecretSource source) {
    if (source instanceof SecretSource.Env || source instanceof SecretSource.File) {
      read(source);
    } else if (source instanceof SecretSource.OAuthClientCredentials o) {
      o.clientId().sources().forEach(this::requireAvailable);
      o.clientSecret().sources().forEach(this::requireAvailable);
    }
  }

  /** Drops a cached command output or token; true if the source can yield a new value that way. */
  public boolean invalidate(SecretSource source) {
    if (source instanceof SecretSource.Command || source instanceof SecretSource.OAuthClientCredentials) {
      cache.remove(source);
      return true;
    }
    return false;
  }

  private String env(SecretSource.Env env) {
    String value = environment.get(env.name());
    if (value == null) {
      throw new SecretUnavailableException("environment variable " + env.name() + " is not set (referenced as "
          + env.reference() + " in the configuration)");
    }
    return value;
  }

  private String file(SecretSource.File file) {
    try {
      BasicFileAttributes attrs = Files.readAttributes(file.path(), BasicFileAttributes.class);
      Object stamp = attrs.lastModifiedTime().toMillis() + ":" + attrs.size() + ":" + attrs.fileKey();
      Cached cached = cache.get(file);
      if (cached != null && cached.stamp().equals(stamp)) {
        return cached.value();
      }
      if (attrs.size() > MAX_FILE_BYTES) {
        throw new SecretUnavailableException(file.reference() + " is larger than " + MAX_FILE_BYTES + " bytes");
      }
      String value = stripTrailingNewlines(Files.readString(file.path(), StandardCharsets.UTF_8));
      cache.put(file, new Cached(value, Instant.MAX, stamp));
      return value;
    } catch (IOException e) {
      throw new SecretUnavailableException(file.reference() + " cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** A value with a lifetime: {@code ttlMs} for commands, or the one the fetch reports (tokens). */
  private String timed(SecretSource source, Fetch fetch, long ttlMs) {
    Cached cached = cache.get(source);
    Instant now = clock.instant();
    if (cached != null && now.isBefore(cached.until())) {
      return cached.value();
    }
    synchronized (lockFor(source)) {
      cached = cache.get(source);
      now = clock.instant();
      if (cached != null && now.isBefore(cached.until())) {
        return cached.value();
      }
      Expiring fresh = fetch.get();
      Instant until = ttlMs >= 0 ? now.plusMillis(ttlMs) : now.plus(fresh.lifetime()).minus(margin(fresh.lifetime()));
      cache.put(source, new Cached(fresh.value(), until, null));
      return fresh.value();
    }
  }

  /** Refresh this long before a token expires: a tenth of its life, at most a minute. */
  private static java.time.Duration margin(java.time.Duration lifetime) {
    java.time.Duration tenth = lifetime.dividedBy(10);
    return tenth.compareTo(java.time.Duration.ofMinutes(1)) > 0 ? java.time.Duration.ofMinutes(1) : tenth;
  }

  private final Map<SecretSource, Object> locks = new ConcurrentHashMap<>();

  private Object lockFor(SecretSource source) {
    return locks.computeIfAbsent(source, s -> new Object());
  }

  static String stripTrailingNewlines(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }

  /** A fetched value and how long it is good for. */
  record Expiring(String value, java.time.Duration lifetime) {}

  @FunctionalInterface
  private interface Fetch {
    Expiring get();
  }
}
