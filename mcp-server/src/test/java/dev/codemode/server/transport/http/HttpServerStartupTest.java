package dev.codemode.server.transport.http;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.config.ConfigLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exposure rules are checked before anything starts. */
class HttpServerStartupTest {
  @TempDir Path dir;

  private static String start(String yaml, Path dir, String address) {
    return assertThrows(IllegalArgumentException.class,
        () -> HttpServer.checkExposure(ConfigLoader.parse(yaml, "t.yaml", dir), ListenAddress.parse(address))).getMessage();
  }

  @Test
  void noAuthOnANonLoopbackAddressIsRefused() {
    String msg = start("", dir, "0.0.0.0:0");
    assertTrue(msg.contains("without auth") && msg.contains("loopback"), msg);
  }

  @Test
  void aNonLoopbackAddressNeedsHostNames() {
    String msg = start("""
        auth:
          tokens:
            - {principal: a, sha256: 'sha256:%s', profiles: [default]}
        """.formatted("ab".repeat(32)), dir, "0.0.0.0:0");
    assertTrue(msg.contains("http.allowed_hosts"), msg);
  }
}
