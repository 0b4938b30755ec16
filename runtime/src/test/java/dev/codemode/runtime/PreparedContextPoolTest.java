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

/** Prepared contexts: each goes to one run, only for its exact key, and none survives the preparedPool. */
class PreparedContextPoolTest {
  private final SandboxContexts contexts = new SandboxContexts();
  private final PreparedContextPool preparedPool = new PreparedContextPool(contexts, new GuestScripts(), false);
  private final ProcLimits limits = TestRuns.limits();
  private final PreparedContextPool.Key key = new PreparedContextPool.Key(TestRuns.profile(limits), limits, Map.of());

  @AfterEach
  void close() {
    preparedPool.close();
    contexts.close();
  }

  @Test
  void aPreparedContextIsTakenOnceAndOnlyForItsOwnKey() throws Exception {
    assertNull(preparedPool.take(key), "nothing is prepared before a run asks for it");
    try (PreparedContext first = takeEventually(key)) {
      ProcLimits other = new ProcLimits(limits.wallMs() - 1, limits.cpuMs(), limits.memMb(), limits.maxOutputBytes(),
          limits.maxResultBytes(), limits.maxStatements(), limits.maxStackFrames(), limits.maxAstDepth());
      preparedPool.replenish(key);
      assertNull(preparedPool.take(new PreparedContextPool.Key(TestRuns.profile(other), other, Map.of())),
          "a tighter wall budget never takes a preparedContext built for another");
      assertNull(preparedPool.take(new PreparedContextPool.Key(TestRuns.profile(limits), limits, Map.of("s", Map.of("t", "d")))),
          "another tool catalog never takes it either");
      try (PreparedContext second = takeEventually(key)) {
        assertNotSame(first, second, "the same preparedContext is never handed out twice");
        assertNotSame(first.context, second.context);
      }
    }
  }

  /**
   * Asks for a preparedContext until one comes: a run waits only briefly for a preparedContext under construction, and the
   * first build on a cold engine takes far longer than that.
   */
  private PreparedContext takeEventually(PreparedContextPool.Key k) throws InterruptedException {
    long end = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < end) {
      preparedPool.replenish(k);
      PreparedContext s = preparedPool.take(k);
      if (s != null) {
        return s;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no preparedContext was prepared within a minute");
  }

  @Test
  void aClosedStockHandsOutNothing() {
    preparedPool.replenish(key);
    preparedPool.close();
    preparedPool.replenish(key);
    assertNull(preparedPool.take(key));
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
