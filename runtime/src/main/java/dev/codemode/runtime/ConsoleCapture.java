package dev.codemode.runtime;

import java.nio.charset.StandardCharsets;

/** Keeps the head of a run's console output up to a byte cap and counts what it drops. Thread-safe. */
final class ConsoleCapture {
  private final int maxBytes;
  private final StringBuilder head = new StringBuilder();
  private int usedBytes;
  private long droppedBytes;

  ConsoleCapture(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  synchronized void append(String level, String text) {
    String prefix = "warn".equals(level) || "error".equals(level) ? "[" + level + "] " : "";
    String line = prefix + text + "\n";
    if (droppedBytes > 0) {
      droppedBytes += utf8Length(line);
      return;
    }
    int lineBytes = utf8Length(line);
    if (usedBytes + lineBytes <= maxBytes) {
      head.append(line);
      usedBytes += lineBytes;
      return;
    }
    int room = maxBytes - usedBytes;
    int keptChars = 0;
    int keptBytes = 0;
    while (keptChars < line.length()) {
      int cp = line.codePointAt(keptChars);
      int cpBytes = utf8Length(new String(Character.toChars(cp)));
      if (keptBytes + cpBytes > room) {
        break;
      }
      keptBytes += cpBytes;
      keptChars += Character.charCount(cp);
    }
    head.append(line, 0, keptChars);
    usedBytes += keptBytes;
    droppedBytes = lineBytes - keptBytes;
  }

  /** The kept head, followed by a marker line when anything was dropped. */
  synchronized String render() {
    if (droppedBytes == 0) {
      return head.toString();
    }
    return head + "\n…[console truncated at " + maxBytes + " bytes; " + droppedBytes + " more bytes not shown]";
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
