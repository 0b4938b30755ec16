package dev.codemode.server.transport.http;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpStatus;

/** Short JSON error bodies: {@code {"error": "...", "status": N}}, never a stack trace or a class name. */
public final class HttpErrors {
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
   * Writes a JSON error answer and ends the connection after it: a refused request's body may be unread,
   * and a client that reused the connection would read the next answer from the middle of it (or find the
   * connection closed under it).
   */
  public static void write(HttpServletResponse response, int status, String message) throws IOException {
    byte[] bytes = body(status, message).getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setHeader("Connection", "close");
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
