package dev.codemode.policies.config;

import static dev.codemode.policies.config.OpsValidator.pick;

import dev.codemode.policies.config.RawOps.RawS3;
import dev.codemode.policies.config.RawOps.RawState;
import dev.codemode.policies.config.RawOps.RawStore;
import dev.codemode.policies.ops.BlobStoreSettings;
import dev.codemode.policies.ops.StateSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.regex.Pattern;

/** Checks {@code state:} (memory or Redis) and {@code store:} (local or S3), merged key by key over the embedded default. */
final class SharedStateValidator {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env:[A-Za-z_][A-Za-z0-9_]*|file:/[^}]+)}");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");
  private static final Pattern KEY_PREFIX = Pattern.compile("([A-Za-z0-9._-]+/)*");
  private static final Pattern REDIS_PREFIX = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private final ConfigChecks checks;

  SharedStateValidator(ConfigChecks checks) {
    this.checks = checks;
  }

  StateSettings state(RawState b, RawState f) {
    RawState r = f == null ? b : new RawState(pick(b.backend(), f.backend()), pick(b.url(), f.url()),
        pick(b.pollMs(), f.pollMs()), pick(b.timeoutMs(), f.timeoutMs()), pick(b.keyPrefix(), f.keyPrefix()));
    checks.require("memory".equals(r.backend()) || "redis".equals(r.backend()), "state.backend",
        "unknown backend '" + r.backend() + "' (allowed: memory, redis)");
    if ("memory".equals(r.backend())) {
      checks.require(r.url() == null, "state.url", "a url needs backend: redis");
      return new StateSettings.Memory();
    }
    String url = r.url();
    checks.require(url != null && !url.isBlank(), "state.url",
        "backend redis needs a url: redis://host:6379, rediss://host:6380 for TLS, or '${env:NAME}' to keep a password out of the file");
    if (!REFERENCE.matcher(url).matches()) {
      checks.require(redisUrl(url), "state.url", "not a Redis URL (allowed: redis://[user:password@]host[:port][/db], "
          + "rediss://… for TLS, '${env:NAME}', '${file:/path}')");
    }
    long poll = checks.range("state.poll_ms", r.pollMs(), 50, 60_000);
    long timeout = checks.range("state.timeout_ms", r.timeoutMs(), 10, 60_000);
    String prefix = r.keyPrefix();
    checks.require(prefix != null && REDIS_PREFIX.matcher(prefix).matches(), "state.key_prefix",
        "1 to 64 of letters, digits and . _ : - (got '" + prefix + "')");
    return new StateSettings.Redis(url, Duration.ofMillis(poll), Duration.ofMillis(timeout), prefix);
  }

  BlobStoreSettings store(RawStore b, RawStore f) {
    RawStore r = f == null ? b : new RawStore(pick(b.backend(), f.backend()), s3(b.s3(), f.s3()));
    checks.require("local".equals(r.backend()) || "s3".equals(r.backend()), "store.backend",
        "unknown backend '" + r.backend() + "' (allowed: local, s3)");
    if ("local".equals(r.backend())) {
      checks.require(r.s3() == null || r.s3().bucket() == null, "store.s3", "s3 settings need backend: s3");
      return new BlobStoreSettings.Local();
    }
    RawS3 s = r.s3() == null ? new RawS3(null, null, null, null, null) : r.s3();
    checks.require(s.bucket() != null && BUCKET.matcher(s.bucket()).matches(), "store.s3.bucket",
        "a bucket name is 3 to 63 of lower-case letters, digits, '.' and '-' (got '" + s.bucket() + "')");
    String prefix = s.prefix() == null ? "" : s.prefix();
    checks.require(KEY_PREFIX.matcher(prefix).matches(), "store.s3.prefix",
        "empty, or path segments each ending in '/', e.g. 'codemode/prod/' (got '" + prefix + "')");
    String region = s.region() == null ? "us-east-1" : s.region();
    checks.require(REGION.matcher(region).matches(), "store.s3.region", "a region name such as eu-west-1 (got '" + region + "')");
    URI endpoint = null;
    if (s.endpoint() != null) {
      try {
        endpoint = new URI(s.endpoint());
      } catch (URISyntaxException e) {
        endpoint = null;
      }
      URI u = endpoint;
      checks.require(u != null && ("https".equals(u.getScheme()) || "http".equals(u.getScheme())) && u.getHost() != null
          && u.getUserInfo() == null && u.getQuery() == null && u.getFragment() == null
          && (u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/")), "store.s3.endpoint",
          "an http(s) URL with no path, user or query, e.g. https://s3.eu-west-1.amazonaws.com (credentials come from the AWS chain)");
    }
    return new BlobStoreSettings.S3(endpoint, s.bucket(), prefix, region, s.pathStyle() != null && s.pathStyle());
  }

  private static RawS3 s3(RawS3 b, RawS3 f) {
    if (b == null || f == null) {
      return f == null ? b : f;
    }
    return new RawS3(pick(b.endpoint(), f.endpoint()), pick(b.bucket(), f.bucket()), pick(b.prefix(), f.prefix()),
        pick(b.region(), f.region()), pick(b.pathStyle(), f.pathStyle()));
  }

  private static boolean redisUrl(String url) {
    try {
      URI u = new URI(url);
      return ("redis".equals(u.getScheme()) || "rediss".equals(u.getScheme())) && u.getHost() != null && u.getQuery() == null
          && u.getFragment() == null && (u.getPath() == null || u.getPath().matches("/?([0-9]{1,2})?"));
    } catch (URISyntaxException e) {
      return false;
    }
  }

}
