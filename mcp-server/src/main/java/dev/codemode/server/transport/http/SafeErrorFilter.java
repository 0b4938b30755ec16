package dev.codemode.server.transport.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The outermost filter: every error answer (status 400 and up) written by the servlets below is held
 * back, checked by {@link SafeErrorText}, and replaced when it shows Java internals; {@code sendError}
 * messages are dropped so the JSON error handler writes only the status's generic text.
 */
public final class SafeErrorFilter implements Filter {
  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    Holding held = new Holding((HttpServletResponse) res);
    chain.doFilter(req, held);
    held.finish();
  }

  /** Buffers error bodies; passes everything else straight through. */
  private static final class Holding extends HttpServletResponseWrapper {
    private ByteArrayOutputStream buffer;
    private PrintWriter writer;
    private ServletOutputStream stream;

    Holding(HttpServletResponse response) {
      super(response);
    }

    private boolean holding() {
      return buffer != null || getStatus() >= 400;
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
      super.sendError(sc);
    }

    @Override
    public PrintWriter getWriter() throws IOException {
      if (!holding()) {
        return super.getWriter();
      }
      if (writer == null) {
        writer = new PrintWriter(new OutputStreamWriter(buffer(), StandardCharsets.UTF_8));
      }
      return writer;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      if (!holding()) {
        return super.getOutputStream();
      }
      if (stream == null) {
        ByteArrayOutputStream b = buffer();
        stream = new ServletOutputStream() {
          @Override
          public void write(int c) {
            b.write(c);
          }

          @Override
          public void write(byte[] bytes, int off, int len) {
            b.write(bytes, off, len);
          }

          @Override
          public boolean isReady() {
            return true;
          }

          @Override
          public void setWriteListener(WriteListener listener) {
            throw new IllegalStateException("not supported on error answers");
          }
        };
      }
      return stream;
    }

    @Override
    public void setContentLength(int len) {
      if (!holding()) {
        super.setContentLength(len);
      }
    }

    @Override
    public void setContentLengthLong(long len) {
      if (!holding()) {
        super.setContentLengthLong(len);
      }
    }

    @Override
    public void flushBuffer() throws IOException {
      if (!holding()) {
        super.flushBuffer();
      }
    }

    private ByteArrayOutputStream buffer() {
      if (buffer == null) {
        buffer = new ByteArrayOutputStream();
      }
      return buffer;
    }

    void finish() throws IOException {
      if (buffer == null) {
        return;
      }
      if (writer != null) {
        writer.flush();
      }
      String body = SafeErrorText.sanitize(getStatus(), buffer.toString(StandardCharsets.UTF_8));
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      HttpServletResponse real = (HttpServletResponse) getResponse();
      if (!SafeErrorText.isSafe(buffer.toString(StandardCharsets.UTF_8))) {
        real.setContentType("application/json");
      }
      real.setContentLength(bytes.length);
      real.getOutputStream().write(bytes);
      real.getOutputStream().flush();
    }
  }
}
