package dev.codemode.runtime.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * One JSON object per line over a pair of streams: reads are bounded (a longer line is a protocol
 * violation, never an allocation the other side controls), writes are whole lines under a lock.
 */
final class LineChannel implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final InputStream in;
  private final OutputStream out;
  private final int maxLineBytes;
  private final byte[] buffer = new byte[1 << 16];
  private int start;
  private int end;

  LineChannel(InputStream in, OutputStream out, int maxLineBytes) {
    this.in = in;
    // A line goes out in one write when it fits the buffer, so the reader wakes once per message.
    this.out = out instanceof BufferedOutputStream ? out : new BufferedOutputStream(out, 1 << 16);
    this.maxLineBytes = maxLineBytes;
  }

  /** Writes one message as a line; thread-safe. */
  void send(JsonNode message) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(message);
    synchronized (out) {
      out.write(bytes);
      out.write('\n');
      out.flush();
    }
  }

  /** The next message, or null at end of stream; one reader at a time. */
  JsonNode read() throws IOException {
    byte[] line = readLine();
    if (line == null) {
      return null;
    }
    JsonNode node = JSON.readTree(line);
    if (node == null || !node.isObject() || !node.path("type").isTextual()) {
      throw new IOException("protocol violation: a line that is not a message");
    }
    return node;
  }

  private byte[] readLine() throws IOException {
    byte[] acc = null;
    int accLen = 0;
    while (true) {
      for (int i = start; i < end; i++) {
        if (buffer[i] == '\n') {
          int n = i - start;
          if ((long) accLen + n > maxLineBytes) {
            throw new IOException("protocol violation: a line longer than " + maxLineBytes + " bytes");
          }
          byte[] line = acc == null ? Arrays.copyOfRange(buffer, start, i) : append(acc, accLen, n);
          start = i + 1;
          return line;
        }
      }
      int n = end - start;
      if (n > 0) {
        if ((long) accLen + n > maxLineBytes) {
          throw new IOException("protocol violation: a line longer than " + maxLineBytes + " bytes");
        }
        acc = acc == null ? new byte[Math.max(n * 2, 1 << 16)] : acc;
        if (acc.length < accLen + n) {
          acc = Arrays.copyOf(acc, (int) Math.min((long) maxLineBytes, Math.max((long) acc.length * 2, accLen + n)));
        }
        System.arraycopy(buffer, start, acc, accLen, n);
        accLen += n;
      }
      start = 0;
      end = in.read(buffer);
      if (end < 0) {
        end = 0;
        if (accLen > 0) {
          throw new EOFException("end of stream inside a line");
        }
        return null;
      }
    }
  }

  private byte[] append(byte[] acc, int accLen, int n) {
    byte[] line = Arrays.copyOf(acc, accLen + n);
    System.arraycopy(buffer, start, line, accLen, n);
    return line;
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // Closing after the peer went away.
    }
    try {
      out.close();
    } catch (IOException ignored) {
      // Same.
    }
  }
}
