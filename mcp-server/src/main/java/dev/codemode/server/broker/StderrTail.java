package dev.codemode.server.broker;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last lines a downstream process wrote to stderr (already redacted), bounded in lines and
 * characters: why a server failed to start is usually there, and the model and the operator both need it.
 */
final class StderrTail {
  private static final int MAX_LINES = 8;
  private static final int MAX_LINE_CHARS = 300;
  /** A process's last lines come in a burst: once one has come, the rest are in when the pipe stays quiet this long. */
  private static final long SETTLE_MS = 150;
  private final Deque<String> lines = new ArrayDeque<>();
  private long lastLineNanos;

  synchronized void add(String line) {
    if (line == null || line.isBlank()) {
      return;
    }
    String l = line.strip();
    lines.addLast(l.length() <= MAX_LINE_CHARS ? l : l.substring(0, MAX_LINE_CHARS) + "…");
    if (lines.size() > MAX_LINES) {
      lines.removeFirst();
    }
    lastLineNanos = System.nanoTime();
    notifyAll();
  }

  /**
   * The kept lines once there are some and no more came for a moment, waiting up to {@code waitMs} in all: a
   * process that has just exited may still have its last words in the pipe, read on another thread, and
   * closing its transport stops that reader.
   */
  synchronized String textAwaiting(long waitMs) {
    long deadline = System.nanoTime() + waitMs * 1_000_000;
    try {
      while (true) {
        long now = System.nanoTime();
        long quietMs = lines.isEmpty() ? 0 : (now - lastLineNanos) / 1_000_000;
        long left = (deadline - now) / 1_000_000;
        if (left <= 0 || quietMs >= SETTLE_MS) {
          break;
        }
        wait(lines.isEmpty() ? left : Math.min(left, SETTLE_MS - quietMs));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return text();
  }

  /** The kept lines joined by " | ", or empty when the process wrote nothing. */
  synchronized String text() {
    return String.join(" | ", lines);
  }
}
