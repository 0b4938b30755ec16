package dev.codemode.server.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StderrTailTest {

  @Test
  void aBurstOfLastLinesIsReadWholeNotOnlyItsFirstLine() throws Exception {
    StderrTail tail = new StderrTail();
    Thread writer = new Thread(() -> {
      try {
        tail.add("node:internal/modules/cjs/loader:1228");
        Thread.sleep(40);
        tail.add("  throw err;");
        Thread.sleep(40);
        tail.add("Error: Cannot find module '/opt/nowhere/server.js'");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    writer.start();
    String text = tail.textAwaiting(3_000);
    writer.join();
    assertEquals("node:internal/modules/cjs/loader:1228 | throw err; | Error: Cannot find module '/opt/nowhere/server.js'", text);
  }

  @Test
  void aProcessThatWroteNothingGivesEmptyTextAfterTheWait() {
    assertEquals("", new StderrTail().textAwaiting(50));
  }
}
