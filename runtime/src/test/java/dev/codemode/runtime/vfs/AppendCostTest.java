package dev.codemode.runtime.vfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.codemode.runtime.RunJournal;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small appends to a large /workspace file cost the bytes appended, not a copy of the whole file each time. */
class AppendCostTest {
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  @TempDir Path root;

  @Test
  void manySmallAppendsToALargeFileDoNotCopyItEachTime() throws Exception {
    VirtualFiles files = new VirtualFiles(Fixtures.policy(Fixtures.hostTree(root), 64L << 20, 50), new RunJournal());
    byte[] large = new byte[8 << 20];
    Arrays.fill(large, (byte) 'a');
    files.writeFile("/workspace/log.txt", large, WriteMode.TRUNCATE);
    byte[] line = "one more line\n".getBytes(StandardCharsets.US_ASCII);
    long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    for (int i = 0; i < 1000; i++) {
      files.writeFile("/workspace/log.txt", line, WriteMode.APPEND);
    }
    long allocated = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    // A copy per append would be 1000 x 8 MiB = 8 GB; growing the buffer once is about 16 MiB.
    assertTrue(allocated < (64L << 20), "1000 appends of 14 bytes allocated " + (allocated >> 20) + " MiB");
    byte[] back = files.readFile("/workspace/log.txt", 64L << 20);
    assertArrayEquals(line, Arrays.copyOfRange(back, back.length - line.length, back.length));
    assertTrue(back.length == large.length + 1000 * line.length);
  }
}
