package dev.codemode.server.transport;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.server.audit.RunCaller;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads the stdio JSON-RPC stream line by line on its way to the MCP SDK, which (2.1.0) has no hook for
 * {@code notifications/cancelled}. A {@code tools/call} request gets its JSON-RPC id written into
 * {@code params._meta["dev.codemode/request-id"]} (overwriting any value the client put there), so the tool
 * handler knows which request it answers; a cancellation notification is passed to {@code onCancel} with
 * the cancelled id. Every other line passes through byte for byte.
 */
public final class StdioCancelTap extends LineFilterInput {
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private final Consumer<String> onCancel;

  /** {@code onCancel} receives the cancelled request's id as JSON text ({@code 7} or {@code "abc"}). */
  public StdioCancelTap(InputStream in, Consumer<String> onCancel) {
    super(in);
    this.onCancel = onCancel;
  }

  /** The line to pass on; notes cancellations and tags tool calls. */
  @Override
  protected byte[] process(byte[] line) {
    String text = new String(line, StandardCharsets.UTF_8);
    boolean call = text.contains("tools/call");
    boolean cancel = text.contains("notifications/cancelled");
    if (!call && !cancel) {
      return line;
    }
    JsonNode msg;
    try {
      msg = JSON.readTree(text);
    } catch (IOException e) {
      return line;
    }
    if (msg == null || !msg.isObject()) {
      return line;
    }
    String method = msg.path("method").asText("");
    if (method.equals("notifications/cancelled")) {
      JsonNode id = msg.path("params").get("requestId");
      if (id != null && (id.isTextual() || id.isIntegralNumber())) {
        try {
          onCancel.accept(id.toString());
        } catch (RuntimeException e) {
          // The notification still reaches the SDK; a failed cancel must not break the stream.
        }
      }
      return line;
    }
    JsonNode id = msg.get("id");
    if (!method.equals("tools/call") || id == null || !(id.isTextual() || id.isIntegralNumber()) || !msg.path("params").isObject()) {
      return line;
    }
    ObjectNode params = (ObjectNode) msg.get("params");
    JsonNode meta = params.get("_meta");
    ObjectNode m = meta instanceof ObjectNode o ? o : params.putObject("_meta");
    m.put(RunCaller.REQUEST_ID_META, id.toString());
    boolean newline = line.length > 0 && line[line.length - 1] == '\n';
    return (msg.toString() + (newline ? "\n" : "")).getBytes(StandardCharsets.UTF_8);
  }
}
