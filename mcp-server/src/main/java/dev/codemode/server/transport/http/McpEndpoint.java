package dev.codemode.server.transport.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.policies.HttpSettings;
import dev.codemode.server.CodemodeService;
import dev.codemode.server.auth.Principal;
import dev.codemode.server.tool.ExecuteCodeTool;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Map;

/**
 * The MCP server behind {@code /mcp}: the SDK's Streamable HTTP servlet (sessions, server-to-client
 * stream) or, with {@code http.stateless}, its stateless servlet. The authenticated principal reaches
 * the tool handler through the transport context.
 */
public final class McpEndpoint implements AutoCloseable {
  /** The endpoint path. */
  public static final String PATH = "/mcp";
  private final HttpServlet servlet;
  private final Runnable closer;

  private McpEndpoint(HttpServlet servlet, Runnable closer) {
    this.servlet = servlet;
    this.closer = closer;
  }

  /** The servlet to mount at {@link #PATH}. */
  public HttpServlet servlet() {
    return servlet;
  }

  /** Builds the endpoint for {@code service}. */
  public static McpEndpoint create(CodemodeService service, HttpSettings http, HttpToolHandler handler, String version) {
    McpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    McpTransportContextExtractor<HttpServletRequest> extractor = McpEndpoint::context;
    McpSchema.Tool tool = ExecuteCodeTool.specification(service).tool();
    McpSchema.ServerCapabilities caps = McpSchema.ServerCapabilities.builder().tools(false).build();
    int maxBytes = (int) Math.min(Integer.MAX_VALUE, http.maxRequestBytes());
    if (http.stateless()) {
      HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder()
          .jsonMapper(json).messageEndpoint(PATH).contextExtractor(extractor).maxRequestSize(maxBytes).build();
      McpStatelessSyncServer server = McpServer.sync(transport)
          .serverInfo("codemode", version)
          .capabilities(caps)
          .requestTimeout(Duration.ofHours(1))
          .immediateExecution(true)
          .tools(new McpStatelessServerFeatures.SyncToolSpecification(tool, (ctx, req) -> handler.call(ctx, req.arguments(), req.meta(), null, null)))
          .build();
      return new McpEndpoint(transport, server::closeGracefully);
    }
    HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
        .jsonMapper(json).mcpEndpoint(PATH).contextExtractor(extractor).maxRequestSize(maxBytes)
        .keepAliveInterval(Duration.ofSeconds(30)).build();
    McpSyncServer server = McpServer.sync(transport)
        .serverInfo("codemode", version)
        .capabilities(caps)
        .requestTimeout(Duration.ofHours(1))
        .immediateExecution(true)
        .tools(McpServerFeatures.SyncToolSpecification.builder().tool(tool)
            .callHandler((exchange, req) -> handler.call(exchange.transportContext(), req.arguments(), req.meta(),
                exchange.sessionId(), exchange)).build())
        .build();
    return new McpEndpoint(transport, server::closeGracefully);
  }

  /** The transport-context key of the request's W3C {@code traceparent} header. */
  static final String TRACEPARENT = "codemode.traceparent";

  private static McpTransportContext context(HttpServletRequest request) {
    Object principal = request.getAttribute(Principal.CONTEXT_KEY);
    if (principal == null) {
      return McpTransportContext.EMPTY;
    }
    String traceparent = request.getHeader("traceparent");
    return McpTransportContext.create(traceparent == null ? Map.of(Principal.CONTEXT_KEY, principal)
        : Map.of(Principal.CONTEXT_KEY, principal, TRACEPARENT, traceparent));
  }

  /** Closes the MCP sessions (their open streams end). */
  @Override
  public void close() {
    closer.run();
  }
}
