package dev.codemode.server.transport.http;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.server.CodemodeServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exposure rules are checked before anything listens. */
class HttpServerStartupTest {
  @TempDir Path dir;

  private static String start(String yaml, Path dir, String address) throws Exception {
    try (CodemodeServer root = CodemodeServer.start(ConfigLoader.parse(yaml, "t.yaml", dir), null)) {
      PrintStream notices = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      return assertThrows(IllegalArgumentException.class, () -> HttpServer.start(root, ListenAddress.parse(address), "t", notices))
          .getMessage();
    }
  }

  @Test
  void noAuthOnANonLoopbackAddressIsRefused() throws Exception {
    String msg = start("", dir, "0.0.0.0:0");
    assertTrue(msg.contains("without auth") && msg.contains("loopback"), msg);
  }

  @Test
  void aNonLoopbackAddressNeedsHostNames() throws Exception {
    String msg = start("""
        auth:
          tokens:
            - {principal: a, sha256: 'sha256:%s', profiles: [default]}
        """.formatted("ab".repeat(32)), dir, "0.0.0.0:0");
    assertTrue(msg.contains("http.allowed_hosts"), msg);
  }
}
