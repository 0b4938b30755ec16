package dev.codemode.server.transport.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.policies.HttpSettings;
import dev.codemode.server.CodemodeService;
import dev.codemode.server.artifacts.ArtifactResources;
import dev.codemode.server.auth.Principal;
import dev.codemode.server.tool.ExecuteCodeTool;
import dev.codemode.server.transport.McpSurface;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
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

  /** Builds the endpoint for {@code service}; artifacts are read as the request's principal. */
  public static McpEndpoint create(CodemodeService service, HttpSettings http, HttpToolHandler handler, String version) {
    McpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    McpTransportContextExtractor<HttpServletRequest> extractor = McpEndpoint::context;
    int maxBytes = (int) Math.min(Integer.MAX_VALUE, http.maxRequestBytes());
    if (http.stateless()) {
      HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder()
          .jsonMapper(json).messageEndpoint(PATH).contextExtractor(extractor).maxRequestSize(maxBytes).build();
      McpStatelessSyncServer server = McpServer.sync(transport)
          .serverInfo("codemode", version)
          .capabilities(McpSurface.CAPABILITIES)
          .requestTimeout(McpSurface.REQUEST_TIMEOUT)
          .validateToolInputs(McpSurface.CHECK_INPUTS_IN_SDK)
          .immediateExecution(true)
          .tools(new McpStatelessServerFeatures.SyncToolSpecification(ExecuteCodeTool.tool(service),
              (ctx, req) -> handler.call(ctx, req.arguments(), req.meta(), null, null)))
          .resourceTemplates(new McpStatelessServerFeatures.SyncResourceTemplateSpecification(ArtifactResources.TEMPLATE,
              (ctx, req) -> artifacts(service, ctx, null).read(req.uri())))
          .build();
      return new McpEndpoint(transport, server::closeGracefully);
    }
    HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
        .jsonMapper(json).mcpEndpoint(PATH).contextExtractor(extractor).maxRequestSize(maxBytes)
        .keepAliveInterval(Duration.ofSeconds(30)).build();
    // Sessions share one server, so nothing is listed: a principal's artifacts are read by the URIs its answers gave.
    McpSyncServer server = McpSurface.build(McpServer.sync(transport).immediateExecution(true), service, version,
        (exchange, req) -> handler.call(exchange.transportContext(), req.arguments(), req.meta(), exchange.sessionId(), exchange),
        exchange -> artifacts(service, exchange.transportContext(), exchange.sessionId()), List.of());
    return new McpEndpoint(transport, server::closeGracefully);
  }

  /** The artifacts of the request's principal (the auth filter always sets one; without it nothing is found). */
  private static ArtifactResources artifacts(CodemodeService service, McpTransportContext context, String sessionId) {
    Principal principal = HttpToolHandler.principal(context);
    return principal == null ? service.oversight().artifactResources("", "")
        : service.oversight().artifactResources(principal.name(), HttpToolHandler.session(principal, sessionId));
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
