package dev.codemode.server.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The stdio transport against real child processes (/bin/sh). */
class StdioProcessTransportTest {
  private static final JacksonMcpJsonMapper MAPPER = new JacksonMcpJsonMapper(new ObjectMapper());
  private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

  private static StdioProcessTransport sh(String script, List<String> stderr, int maxMessageChars) {
    return new StdioProcessTransport("t", List.of("/bin/sh", "-c", script), ENV, null, MAPPER, maxMessageChars, stderr::add);
  }

  @Test
  void everyStderrLineOfAProcessThatExitsAtOnceIsHeardEvenWhenStdoutEndsFirst() throws Exception {
    // The SDK's transport stopped reading stderr when stdout ended: a fast exit lost its last words.
    for (int i = 0; i < 30; i++) {
      List<String> stderr = new CopyOnWriteArrayList<>();
      StdioProcessTransport t = sh("exec 1>&-; printf 'one\\ntwo\\nthree: the reason\\n' >&2; exit 3", stderr, 1024);
      t.connect(m -> m).block(Duration.ofSeconds(10));
      t.exited().get(10, TimeUnit.SECONDS);
      t.awaitStderrEnd(Duration.ofSeconds(5));
      assertEquals(List.of("one", "two", "three: the reason"), stderr, "attempt " + i);
      t.closeGracefully().block(Duration.ofSeconds(10));
    }
  }

  @Test
  void messagesGoToStdinInOrderAndAnswersComeBackAsJsonRpc() throws Exception {
    List<McpSchema.JSONRPCMessage> got = new CopyOnWriteArrayList<>();
    // cat echoes every request back; a line that is not JSON-RPC is skipped, not fatal.
    StdioProcessTransport t = sh("echo 'starting up'; echo '{\"x\": 1}'; echo '[1'; exec cat", new CopyOnWriteArrayList<>(), 1024);
    t.connect(m -> m.doOnNext(got::add)).block(Duration.ofSeconds(10));
    for (int i = 0; i < 50; i++) {
      t.sendMessage(new McpSchema.JSONRPCNotification("2.0", "n/" + i, Map.of())).block(Duration.ofSeconds(5));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (got.size() < 50 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(50, got.size());
    for (int i = 0; i < 50; i++) {
      assertEquals("n/" + i, ((McpSchema.JSONRPCNotification) got.get(i)).method());
    }
    t.closeGracefully().block(Duration.ofSeconds(10));
    assertTrue(t.exited().isDone());
  }

  @Test
  void aMessageOverTheLimitStopsTheProcessAndSaysWhy() throws Exception {
    StdioProcessTransport t = sh("head -c 5000 /dev/zero | tr '\\0' x; echo; sleep 60", new CopyOnWriteArrayList<>(), 1000);
    t.connect(m -> m).block(Duration.ofSeconds(10));
    t.exited().get(10, TimeUnit.SECONDS);
    assertEquals("it wrote a message over 1000 characters", t.fault());
    t.closeGracefully().block(Duration.ofSeconds(10));
  }

  @Test
  void closingStopsTheProcessAndItsChildrenEvenWhenTheyIgnoreTerm() throws Exception {
    StdioProcessTransport t = sh("trap '' TERM; sh -c \"trap '' TERM; sleep 300\" & sleep 300", new CopyOnWriteArrayList<>(), 1024);
    t.connect(m -> m).block(Duration.ofSeconds(10));
    Thread.sleep(300);
    ProcessHandle self = ProcessHandle.current();
    List<ProcessHandle> before = self.descendants().filter(h -> h.info().command().orElse("").endsWith("sleep")).toList();
    assertFalse(before.isEmpty(), "the sleeps started");
    t.closeGracefully().block(Duration.ofSeconds(10));
    for (ProcessHandle h : before) {
      h.onExit().get(5, TimeUnit.SECONDS);
    }
    assertTrue(t.exited().isDone());
  }

  @Test
  void aServerThatExitsWhenItsStdinEndsIsNotSignalled() throws Exception {
    List<String> stderr = new CopyOnWriteArrayList<>();
    StdioProcessTransport t = sh("trap 'echo got-term >&2; exit 1' TERM; while read line; do :; done; echo clean-exit >&2", stderr, 1024);
    t.connect(m -> m).block(Duration.ofSeconds(10));
    Thread.sleep(200);
    t.closeGracefully().block(Duration.ofSeconds(10));
    t.awaitStderrEnd(Duration.ofSeconds(5));
    assertEquals(List.of("clean-exit"), stderr);
  }

  @Test
  void aSendAfterCloseFailsAtOnce() {
    StdioProcessTransport t = sh("exec cat", new CopyOnWriteArrayList<>(), 1024);
    t.connect(m -> m).block(Duration.ofSeconds(10));
    t.closeGracefully().block(Duration.ofSeconds(10));
    Mono<Void> send = t.sendMessage(new McpSchema.JSONRPCNotification("2.0", "late", Map.of()));
    org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> send.block(Duration.ofSeconds(5)));
  }
}
