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
   * read from its start; a larger or unreadable one ends the connection after the answer, saying so
   * with {@code Connection: close}. (Left alone, the server would close such a connection silently after
   * the answer, and a client that had already sent its next request on it would lose that request.)
   */
  public static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String message)
      throws IOException {
    if (!drain(request)) {
      response.setHeader("Connection", "close");
    }
    write(response, status, message);
  }

  private static boolean drain(HttpServletRequest request) {
    if (request.getContentLengthLong() > DRAIN_LIMIT) {
      return false;
    }
    try {
      InputStream in = request.getInputStream();
      byte[] buf = new byte[8192];
      long total = 0;
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        total += n;
        if (total > DRAIN_LIMIT) {
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
