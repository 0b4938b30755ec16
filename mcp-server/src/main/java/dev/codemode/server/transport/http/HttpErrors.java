package dev.codemode.server.transport.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpStatus;

/** Short JSON error bodies: {@code {"error": "...", "status": N}}, never a stack trace or a class name. */
public final class HttpErrors {
  /** A refused request's body up to this size is read and dropped, so its connection stays usable. */
  private static final long DRAIN_LIMIT = 64 * 1024;
  /** After a refusal that ends the connection, at most this much more is read (so the client can finish sending). */
  private static final long LINGER_LIMIT = 4L << 20;
  private static final long LINGER_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

  private HttpErrors() {}

  /** The JSON body for {@code status} with a fixed, safe {@code message}. */
  public static String body(int status, String message) {
    return "{\"error\":\"" + escape(message) + "\",\"status\":" + status + "}";
  }

  /** The reason phrase of a status, lower case ("not found"). */
  public static String reason(int status) {
    String r = HttpStatus.getMessage(status);
    return r == null ? "error" : r.toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Refuses {@code request} with a JSON error answer and keeps the connection in step with the client. A
   * body of up to 64 KiB is read and dropped first, so the client's next request on the connection is
   * read from its start. A larger (or unreadable) one gets the answer at once, with
   * {@code Connection: close}, and is then read on and dropped, up to 4 MiB and 2 s, before the
   * connection ends: closing a socket with unread bytes makes the kernel reset the connection, and the
   * reset can destroy the answer before the client has read it.
   */
  public static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String message)
      throws IOException {
    if (request.getContentLengthLong() <= DRAIN_LIMIT && drain(request, DRAIN_LIMIT, Long.MAX_VALUE)) {
      write(response, status, message);
      return;
    }
    response.setHeader("Connection", "close");
    write(response, status, message);
    response.flushBuffer();
    drain(request, LINGER_LIMIT, LINGER_NANOS);
  }

  /** Reads and drops the body; true when it ended within {@code limit} bytes and {@code maxNanos}. */
  private static boolean drain(HttpServletRequest request, long limit, long maxNanos) {
    long start = System.nanoTime();
    try {
      InputStream in = request.getInputStream();
      byte[] buf = new byte[8192];
      long total = 0;
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        total += n;
        if (total > limit || System.nanoTime() - start > maxNanos) {
          return false;
        }
      }
      return true;
    } catch (IOException | IllegalStateException e) {
      return false;
    }
  }

  /** Writes a JSON error answer (after a refusal, use {@link #refuse}). */
  public static void write(HttpServletResponse response, int status, String message) throws IOException {
    byte[] bytes = body(status, message).getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(' ');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
