package dev.codemode.server.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.runtime.BridgeException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A server whose command cannot start: boot goes on, the failure is reported, never thrown at start-up. */
class BrokerTest {
  private final CodemodeConfig config = ConfigLoader.parse("""
      servers:
        broken: {command: /nonexistent/codemode-test-server, description: A server that is not installed}
      """, "test.yaml", Path.of("."));

  @Test
  void aServerThatCannotStartIsReportedNotFatal() {
    try (Broker broker = Broker.start(config, new dev.codemode.server.Secrets(System.getenv()))) {
      DownstreamServer broken = broker.server("broken").orElseThrow();
      assertEquals("start failed: command '/nonexistent/codemode-test-server' is not an executable file", broken.lastFailure());
      assertEquals("A server that is not installed (unavailable: it failed to start)", broker.summaries().get("broken"));
      assertEquals(Map.of("broken", Map.of()), broker.catalog().sandboxServers());
      try {
        broker.call("broken", "anything", Map.of()).join();
        throw new AssertionError("the call succeeded");
      } catch (CompletionException e) {
        BridgeException be = (BridgeException) e.getCause();
        assertEquals("EDOWN", be.code());
        assertTrue(be.getMessage().startsWith("downstream server 'broken' is unavailable (start failed: "), be.getMessage());
      }
    }
  }

  @Test
  void missingSecretIsAStartFailureNamingTheVariableNotItsValue() {
    CodemodeConfig withSecret = ConfigLoader.parse("""
        servers:
          needs: {command: node, env: {TOKEN: '${env:CODEMODE_TEST_UNSET_VARIABLE}'}}
        """, "test.yaml", Path.of("."));
    try (Broker broker = Broker.start(withSecret, new dev.codemode.server.Secrets(java.util.Map.of()))) {
      assertTrue(broker.server("needs").orElseThrow().lastFailure().contains("CODEMODE_TEST_UNSET_VARIABLE is not set"));
    }
  }

  @Test
  void aProcessThatExitsDuringStartUpFailsTheStartAtOnce() {
    CodemodeConfig exits = ConfigLoader.parse("""
        servers:
          quits: {command: node, args: ['-e', 'process.exit(3)']}
        """, "test.yaml", Path.of("."));
    long t0 = System.nanoTime();
    try (Broker broker = Broker.start(exits, new dev.codemode.server.Secrets(System.getenv()))) {
      assertTrue(broker.server("quits").orElseThrow().lastFailure().contains("the process exited during start-up"),
          broker.server("quits").orElseThrow().lastFailure());
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 10_000, "start-up failure took " + ms + " ms (the initialize timeout is 30 s)");
  }

  @Test
  void commandsAreLookedUpOnPath() {
    DownstreamTransports.requireCommand("node", System.getenv("PATH"));
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> DownstreamTransports.requireCommand("codemode-no-such-command", "/usr/bin:/bin"));
    assertEquals("command 'codemode-no-such-command' was not found on PATH", e.getMessage());
  }
}
