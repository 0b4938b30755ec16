package dev.codemode.server.transport.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** {@code GET /metrics}: the Prometheus text exposition of the server's meters (behind the same auth as {@code /mcp}). */
final class MetricsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  /** Where the servlet is mounted. */
  static final String PATH = "/metrics";
  private final transient Supplier<String> scrape;

  MetricsServlet(Supplier<String> scrape) {
    this.scrape = scrape;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
    resp.setStatus(200);
    resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }
}
