package dev.codemode.policies.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.ops.BlobStoreSettings;
import dev.codemode.policies.ops.StateSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code state:} and {@code store:}: validated into sealed settings, errors naming file, line and key. */
class SharedStateConfigTest {
  @TempDir Path dir;

  private CodemodeConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "test.yaml", dir);
  }

  private String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void theEmbeddedDefaultIsMemoryAndLocal() {
    CodemodeConfig c = ConfigLoader.loadDefault();
    assertInstanceOf(StateSettings.Memory.class, c.ops().state());
    assertInstanceOf(BlobStoreSettings.Local.class, c.ops().store());
  }

  @Test
  void redisAndS3AreCompiled() {
    CodemodeConfig c = parse("""
        state: {backend: redis, url: 'rediss://app:s3cret@redis.internal:6380/2'}
        store:
          backend: s3
          s3: {endpoint: 'http://127.0.0.1:9000', bucket: codemode-prod, prefix: team/a/, path_style: true}
        """);
    StateSettings.Redis r = assertInstanceOf(StateSettings.Redis.class, c.ops().state());
    assertEquals(Duration.ofMillis(500), r.poll(), "inherited from the embedded default");
    assertEquals("codemode", r.keyPrefix());
    assertFalse(r.toString().contains("s3cret"), "the password is not printed: " + r);
    BlobStoreSettings.S3 s = assertInstanceOf(BlobStoreSettings.S3.class, c.ops().store());
    assertEquals(URI.create("http://127.0.0.1:9000"), s.endpoint());
    assertEquals("team/a/", s.prefix());
    assertEquals("us-east-1", s.region());
    assertTrue(s.pathStyle());
    StateSettings.Redis ref = assertInstanceOf(StateSettings.Redis.class,
        parse("state: {backend: redis, url: '${env:REDIS_URL}'}\n").ops().state());
    assertEquals("${env:REDIS_URL}", ref.url(), "a reference is resolved at start");
  }

  @Test
  void mistakesNameTheLineKeyAndWhatIsAllowed() {
    String e = error("pii: {ttl_minutes: 5}\nstate: {backend: etcd}\n");
    assertTrue(e.startsWith("test.yaml:2: state.backend: unknown backend 'etcd' (allowed: memory, redis)"), e);
    e = error("state:\n  backend: redis\n");
    assertTrue(e.contains("test.yaml:1: state.url: backend redis needs a url"), e); // a missing key: the line of its section
    e = error("state: {backend: redis, url: 'http://redis:6379'}\n");
    assertTrue(e.contains("state.url: not a Redis URL (allowed: redis://"), e);
    e = error("state: {backend: redis, url: 'redis://r:6379', poll_ms: 5}\n");
    assertTrue(e.contains("state.poll_ms: must be between 50 and 60000 (got 5)"), e);
    e = error("state: {url: 'redis://r:6379'}\n");
    assertTrue(e.contains("state.url: a url needs backend: redis"), e);
    e = error("store: {backend: gcs}\n");
    assertTrue(e.contains("store.backend: unknown backend 'gcs' (allowed: local, s3)"), e);
    e = error("store: {backend: s3, s3: {bucket: 'No_Such'}}\n");
    assertTrue(e.contains("store.s3.bucket: a bucket name is 3 to 63"), e);
    e = error("store: {backend: s3, s3: {bucket: b-1, prefix: 'no-slash'}}\n");
    assertTrue(e.contains("store.s3.prefix: empty, or path segments each ending in '/'"), e);
    e = error("store: {backend: s3, s3: {bucket: b-1, endpoint: 'https://user:pw@s3.example.com'}}\n");
    assertTrue(e.contains("store.s3.endpoint: an http(s) URL with no path, user or query"), e);
  }
}
