package dev.codemode.server.transport;

import dev.codemode.server.CodemodeService;
import dev.codemode.server.artifacts.ArtifactResources;
import dev.codemode.server.tool.ExecuteCodeTool;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/** What every transport's MCP server offers, defined once: info, capabilities, {@code execute_code}, artifact reads. */
public final class McpSurface {
  /** The capabilities both transports declare. */
  public static final McpSchema.ServerCapabilities CAPABILITIES =
      McpSchema.ServerCapabilities.builder().tools(false).resources(false, true).build();
  /** A run answers within its wall budget; the SDK's own timeout only has to be longer than any. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofHours(1);

  /**
   * Off: {@link dev.codemode.server.tool.ExecuteCodeInput} checks every argument of every call (and refuses
   * unknown ones) with a message that says what is wrong; the SDK's JSON-schema pass would only repeat that
   * work on each call, with a different message per transport.
   */
  public static final boolean CHECK_INPUTS_IN_SDK = false;

  private McpSurface() {}

  /**
   * Builds the server from {@code spec} (a transport's builder): {@code call} answers {@code execute_code},
   * {@code artifacts} gives the artifacts the request's principal may read, {@code listed} the resources listed.
   */
  public static McpSyncServer build(McpServer.SyncSpecification<?> spec, CodemodeService service, String version,
      BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> call,
      Function<McpSyncServerExchange, ArtifactResources> artifacts, List<SyncResourceSpecification> listed) {
    return spec.serverInfo("codemode", version).capabilities(CAPABILITIES).requestTimeout(REQUEST_TIMEOUT)
        .validateToolInputs(CHECK_INPUTS_IN_SDK)
        .tools(SyncToolSpecification.builder().tool(ExecuteCodeTool.tool(service)).callHandler(call).build())
        .resourceTemplates(new SyncResourceTemplateSpecification(ArtifactResources.TEMPLATE,
            (exchange, request) -> artifacts.apply(exchange).read(request.uri())))
        .resources(listed)
        .build();
  }
}
