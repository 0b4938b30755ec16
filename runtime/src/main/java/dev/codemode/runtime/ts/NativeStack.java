package dev.codemode.runtime.ts;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads native parsers run on: a stack large enough for input at {@link NativeInput#MAX_DEPTH}
 * with a wide margin (native frames run on the calling thread's stack, and a native stack overflow
 * ends the JVM), whatever stack the caller has. The stack is reserved, not committed: only what a
 * parse touches costs memory.
 */
final class NativeStack {
  /** Bytes of stack per parser thread: measured need at the nesting bound is under 8 MiB (see SANDBOX.md). */
  static final long STACK_BYTES = 64L << 20;
  private static final int THREADS = 2;
  private static final ExecutorService PARSERS = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(null, r, "codemode-native-parser", STACK_BYTES);
        t.setDaemon(true);
        return t;
      });

  static {
    ((ThreadPoolExecutor) PARSERS).allowCoreThreadTimeOut(true);
  }

  private NativeStack() {}

  /** Runs {@code work} on a parser thread and waits for it; its exception is rethrown as it was. */
  static <T> T call(Callable<T> work) throws Exception {
    Future<T> f = PARSERS.submit(work);
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw new IllegalStateException("native parser failed", cause);
    }
  }
}
