package dev.codemode.server.artifacts;

import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Serves stored artifacts as MCP resources ({@code resources/list}, {@code resources/read}): text as text,
 * the rest as base64 blobs. Text of a run whose policy tokenizes PII is tokenized on the way out, like the
 * run's answer; binary content cannot be and goes out as written.
 */
public final class ArtifactResources {
  private final ArtifactStore store;
  private final String principal;
  private final UnaryOperator<String> tokenize;
  private volatile McpSyncServer server;

  /** {@code tokenize} is the reading session's PII tokenizer. */
  public ArtifactResources(ArtifactStore store, String principal, UnaryOperator<String> tokenize) {
    this.store = store;
    this.principal = principal;
    this.tokenize = tokenize;
  }

  /** Any artifact by URI; a read resolves it for the reading principal only. */
  public static final McpSchema.ResourceTemplate TEMPLATE = McpSchema.ResourceTemplate
      .builder("artifact://{run_id}/{name}", "artifact").title("Run artifact")
      .description("A file a run wrote under /workspace/out/").build();

  /**
   * The artifacts already in the store, for the server builder: registered before any client session
   * exists, because adding a resource to a built server notifies clients, which fails with none.
   */
  public List<SyncResourceSpecification> existing() {
    return store.list(principal).stream().map(this::spec).toList();
  }

  /** Publishes every later artifact to {@code mcp}. */
  public void attach(McpSyncServer mcp) {
    this.server = mcp;
  }

  /** Adds a finished run's artifacts to the resource list (the SDK tells the client the list changed). */
  public void published(List<StoredArtifact> artifacts) {
    McpSyncServer mcp = server;
    if (mcp == null) {
      return;
    }
    for (StoredArtifact a : artifacts) {
      try {
        mcp.addResource(spec(a));
      } catch (RuntimeException e) {
        // The list-changed notification failed (the client is gone); the resource is registered all the same.
      }
    }
  }

  private SyncResourceSpecification spec(StoredArtifact a) {
    McpSchema.Resource r = McpSchema.Resource.builder().uri(a.uri()).name(a.name()).mimeType(a.mimeType()).size(a.bytes())
        .description("artifact of run " + a.runId()).build();
    return new SyncResourceSpecification(r, (exchange, request) -> read(request.uri()));
  }

  /** The contents at {@code uri}; an unknown or foreign artifact is "not found". */
  public ReadResourceResult read(String uri) {
    Map.Entry<StoredArtifact, byte[]> found = store.read(uri, principal)
        .orElseThrow(() -> McpError.RESOURCE_NOT_FOUND.apply(uri));
    StoredArtifact a = found.getKey();
    byte[] bytes = found.getValue();
    String text = a.mimeType().startsWith("text/") || a.mimeType().equals("application/json") ? utf8(bytes) : null;
    if (text != null && a.redactPii()) {
      text = tokenize.apply(text);
    }
    McpSchema.ResourceContents contents = text != null
        ? new McpSchema.TextResourceContents(a.uri(), a.mimeType(), text)
        : new McpSchema.BlobResourceContents(a.uri(), a.mimeType(), Base64.getEncoder().encodeToString(bytes));
    return new ReadResourceResult(List.of(contents));
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
