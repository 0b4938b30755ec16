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
  }

  /** The kept lines joined by " | ", or empty when the process wrote nothing. */
  synchronized String text() {
    return String.join(" | ", lines);
  }
}
