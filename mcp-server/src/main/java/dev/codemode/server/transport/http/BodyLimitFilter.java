package dev.codemode.server.transport.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a POST body up to the limit before the MCP servlet sees it, so that an oversized body answers
 * 413 whether or not it declared a Content-Length (a chunked one would otherwise fail mid-parse).
 */
public final class BodyLimitFilter implements Filter {
  private final long maxBytes;

  public BodyLimitFilter(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    if (!"POST".equals(request.getMethod())) {
      chain.doFilter(req, res);
      return;
    }
    byte[] body = null;
    if (request.getContentLengthLong() <= maxBytes) {
      try {
        body = readUpTo(request.getInputStream(), maxBytes + 1);
      } catch (IOException e) {
        // An unreadable body is answered as a too large one.
      }
    }
    if (body == null || body.length > maxBytes) {
      HttpErrors.refuse(request, (HttpServletResponse) res, 413, "request too large (limit " + maxBytes + " bytes)");
      return;
    }
    chain.doFilter(new Buffered(request, body), res);
  }

  private static byte[] readUpTo(InputStream in, long limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    long total = 0;
    for (int n = in.read(buf); n >= 0 && total < limit; n = in.read(buf)) {
      out.write(buf, 0, n);
      total += n;
    }
    return out.toByteArray();
  }

  /** The request with its body already read. */
  private static final class Buffered extends HttpServletRequestWrapper {
    private final byte[] body;

    Buffered(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("the body is already read");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
