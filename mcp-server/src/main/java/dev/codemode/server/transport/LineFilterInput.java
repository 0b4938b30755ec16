package dev.codemode.server.transport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that hands its source on one line at a time, each line through {@link #process} first
 * (which may pass it, change it, or drop it by returning no bytes): the shape of every stdio tap.
 */
public abstract class LineFilterInput extends InputStream {
  private final InputStream in;
  private byte[] pending = new byte[0];
  private int pos;
  private boolean eof;

  protected LineFilterInput(InputStream in) {
    // Lines are read a byte at a time: without a buffer each byte would be a read(2) on stdin.
    this.in = new BufferedInputStream(in, 1 << 16);
  }

  /** The bytes to pass on for {@code line} (with its newline, if it had one). */
  protected abstract byte[] process(byte[] line) throws IOException;

  @Override
  public int read() throws IOException {
    return fill() ? pending[pos++] & 0xff : -1;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, pending.length - pos);
    System.arraycopy(pending, pos, buf, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() {
    return pending.length - pos;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private boolean fill() throws IOException {
    while (pos >= pending.length) {
      if (eof) {
        return false;
      }
      ByteArrayOutputStream line = new ByteArrayOutputStream(256);
      int b;
      while ((b = in.read()) >= 0) {
        line.write(b);
        if (b == '\n') {
          break;
        }
      }
      eof = b < 0;
      pending = process(line.toByteArray());
      pos = 0;
    }
    return true;
  }
}
