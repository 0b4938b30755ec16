package dev.codemode.server.transport.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.server.auth.ResourceMetadata;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Serves the OAuth protected-resource metadata document (public, read-only, JSON). */
public final class MetadataServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private final transient byte[] body;

  public MetadataServlet(ResourceMetadata metadata) {
    try {
      this.body = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(metadata.document())
          .getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot render the resource metadata", e);
    }
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setStatus(200);
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    resp.setHeader("Cache-Control", "max-age=300");
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }
}
