package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.codemode.policies.ProcLimits;
import dev.codemode.runtime.vfs.FsException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Prepared contexts: each goes to one run, only for its exact key, and none survives the stock. */
class StageStockTest {
  private final SandboxContexts contexts = new SandboxContexts();
  private final StageStock stock = new StageStock(contexts, new GuestScripts(), false);
  private final ProcLimits limits = TestRuns.limits();
  private final StageStock.Key key = new StageStock.Key(TestRuns.profile(limits), limits, Map.of());

  @AfterEach
  void close() {
    stock.close();
    contexts.close();
  }

  @Test
  void aStageIsTakenOnceAndOnlyForItsOwnKey() throws Exception {
    assertNull(stock.take(key), "nothing is prepared before a run asks for it");
    try (Stage first = takeEventually(key)) {
      ProcLimits other = new ProcLimits(limits.wallMs() - 1, limits.cpuMs(), limits.memMb(), limits.maxOutputBytes(),
          limits.maxResultBytes(), limits.maxStatements(), limits.maxStackFrames(), limits.maxAstDepth());
      stock.replenish(key);
      assertNull(stock.take(new StageStock.Key(TestRuns.profile(other), other, Map.of())),
          "a tighter wall budget never takes a stage built for another");
      assertNull(stock.take(new StageStock.Key(TestRuns.profile(limits), limits, Map.of("s", Map.of("t", "d")))),
          "another tool catalog never takes it either");
      try (Stage second = takeEventually(key)) {
        assertNotSame(first, second, "the same stage is never handed out twice");
        assertNotSame(first.context, second.context);
      }
    }
  }

  /**
   * Asks for a stage until one comes: a run waits only briefly for a stage under construction, and the
   * first build on a cold engine takes far longer than that.
   */
  private Stage takeEventually(StageStock.Key k) throws InterruptedException {
    long end = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < end) {
      stock.replenish(k);
      Stage s = stock.take(k);
      if (s != null) {
        return s;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no stage was prepared within a minute");
  }

  @Test
  void aClosedStockHandsOutNothing() {
    stock.replenish(key);
    stock.close();
    stock.replenish(key);
    assertNull(stock.take(key));
  }

  @Test
  void unclaimedBridgedModuleFilesRefuseEveryRead() {
    ClaimedModuleFiles files = new ClaimedModuleFiles();
    FsException e = assertThrows(FsException.class, () -> files.readFile("/workspace/a.js", 10));
    assertEquals("EIO", e.code());
    assertThrows(FsException.class, () -> files.stat("/workspace"));
    assertThrows(FsException.class, () -> files.readdir("/workspace"));
    assertEquals("EIO", files.refuse("/workspace/a.js", "EROFS", "write", "rule").code());
  }
}
