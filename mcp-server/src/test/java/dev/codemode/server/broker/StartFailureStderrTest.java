package dev.codemode.server.broker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.server.Secrets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A downstream server that dies during start-up is reported with its last stderr line, every time. */
class StartFailureStderrTest {
  @TempDir Path dir;

  @Test
  void theReasonCarriesTheLastWordsOfAProcessThatExitedAtOnce() {
    CodemodeConfig cfg = ConfigLoader.parse("""
        servers:
          broken: {command: node, args: ['-e', "console.error('cannot open /data/db: permission denied'); process.exit(3)"]}
        """, "t.yaml", dir);
    // The stderr reader and the exit race each other; the reason was lost when the client closed first.
    for (int i = 0; i < 5; i++) {
      try (Broker broker = Broker.start(cfg, new Secrets(Map.of()))) {
        String why = broker.server("broken").orElseThrow().lastFailure();
        assertTrue(why != null && why.contains("cannot open /data/db: permission denied"), "attempt " + i + ": " + why);
      }
    }
  }
}
