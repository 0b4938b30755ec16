package dev.codemode.runtime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Keeps a run's console output within a byte cap: the head (the first half of the cap) and, once that is
 * full, the tail (the last lines, up to the other half), since the end is usually where the error is.
 * Counts what it cuts from between them. Thread-safe.
 */
final class ConsoleCapture {
  private final int maxBytes;
  private final int headCap;
  private final int tailCap;
  private final StringBuilder head = new StringBuilder();
  private final Deque<String> tail = new ArrayDeque<>();
  private int headBytes;
  private int tailBytes;
  private long cutBytes;
  private long totalBytes;
  private boolean headFull;

  ConsoleCapture(int maxBytes) {
    this.maxBytes = maxBytes;
    this.headCap = maxBytes - maxBytes / 2;
    this.tailCap = maxBytes / 2;
  }

  /** Bytes written so far, kept or cut. */
  synchronized long totalBytes() {
    return totalBytes;
  }

  synchronized void append(String level, String text) {
    String prefix = "warn".equals(level) || "error".equals(level) ? "[" + level + "] " : "";
    String line = prefix + text + "\n";
    int lineBytes = utf8Length(line);
    totalBytes += lineBytes;
    if (!headFull) {
      if (headBytes + lineBytes <= headCap) {
        head.append(line);
        headBytes += lineBytes;
        return;
      }
      headFull = true;
      int keptChars = prefixFitting(line, headCap - headBytes);
      head.append(line, 0, keptChars);
      headBytes += utf8Length(line.substring(0, keptChars));
      line = line.substring(keptChars);
      lineBytes = utf8Length(line);
    }
    if (lineBytes > tailCap) {
      // One line larger than the whole tail: keep its end.
      int skip = line.length() - suffixFitting(line, tailCap);
      cutBytes += utf8Length(line.substring(0, skip));
      line = line.substring(skip);
      lineBytes = utf8Length(line);
    }
    tail.addLast(line);
    tailBytes += lineBytes;
    while (tailBytes > tailCap) {
      String dropped = tail.removeFirst();
      int b = utf8Length(dropped);
      tailBytes -= b;
      cutBytes += b;
    }
  }

  /** The head, then (when anything was cut) a marker line saying how much, then the tail. */
  synchronized String render() {
    StringBuilder out = new StringBuilder(head);
    if (cutBytes > 0) {
      out.append("\n…[console truncated at ").append(maxBytes).append(" bytes: ").append(cutBytes)
          .append(" bytes cut here; the first and the last lines are shown]\n");
    }
    tail.forEach(out::append);
    return out.toString();
  }

  /** How many chars from the start of {@code s} fit in {@code room} UTF-8 bytes, whole code points only. */
  private static int prefixFitting(String s, int room) {
    return fitting(s, room, true);
  }

  /** How many chars from the end of {@code s} fit in {@code room} UTF-8 bytes, whole code points only. */
  private static int suffixFitting(String s, int room) {
    return fitting(s, room, false);
  }

  private static int fitting(String s, int room, boolean fromStart) {
    int chars = 0;
    int bytes = 0;
    while (chars < s.length()) {
      int cp = fromStart ? s.codePointAt(chars) : s.codePointBefore(s.length() - chars);
      int cpBytes = utf8Length(new String(Character.toChars(cp)));
      if (bytes + cpBytes > room) {
        break;
      }
      bytes += cpBytes;
      chars += Character.charCount(cp);
    }
    return chars;
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
