package dev.codemode.server.broker;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads newline-ended lines from a stream, keeping at most {@code maxChars} of each: the rest of an
 * over-long line is read and dropped, so a process that never ends a line cannot fill the heap, and the
 * stream is still drained (a child blocked on a full pipe would stop answering).
 */
final class BoundedLineReader {
  /** One line without its line end; {@code truncated} when it had more than the limit. */
  record Line(String text, boolean truncated) {}

  private final Reader in;
  private final int maxChars;
  private final char[] buf = new char[8192];
  private int pos;
  private int end;

  BoundedLineReader(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  /** The next line, or null at the end of the stream (a last line without a newline is still returned). */
  Line next() throws IOException {
    StringBuilder kept = null;
    boolean truncated = false;
    boolean any = false;
    while (true) {
      if (pos == end) {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
          return any ? line(kept, truncated) : null;
        }
        pos = 0;
        end = n;
      }
      any = true;
      int i = pos;
      while (i < end && buf[i] != '\n') {
        i++;
      }
      if (kept == null) {
        kept = new StringBuilder(Math.min(i - pos + 16, maxChars));
      }
      int room = maxChars - kept.length();
      int take = Math.min(room, i - pos);
      kept.append(buf, pos, take);
      truncated |= take < i - pos;
      if (i < end) {
        pos = i + 1;
        return line(kept, truncated);
      }
      pos = end;
    }
  }

  private static Line line(StringBuilder kept, boolean truncated) {
    int n = kept.length();
    if (n > 0 && kept.charAt(n - 1) == '\r') {
      kept.setLength(n - 1);
    }
    return new Line(kept.toString(), truncated);
  }
}
