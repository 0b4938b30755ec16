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
  private final Deque<String> lines = new ArrayDeque<>();

  synchronized void add(String line) {
    if (line == null || line.isBlank()) {
      return;
    }
    String l = line.strip();
    lines.addLast(l.length() <= MAX_LINE_CHARS ? l : l.substring(0, MAX_LINE_CHARS) + "…");
    if (lines.size() > MAX_LINES) {
      lines.removeFirst();
    }
    notifyAll();
  }

  /**
   * The kept lines once there are some, waiting up to {@code waitMs} for the first: a process that has
   * just exited may still have its last words in the pipe, read on another thread.
   */
  synchronized String textAwaiting(long waitMs) {
    long deadline = System.nanoTime() + waitMs * 1_000_000;
    try {
      for (long left = waitMs; lines.isEmpty() && left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
        wait(left);
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
