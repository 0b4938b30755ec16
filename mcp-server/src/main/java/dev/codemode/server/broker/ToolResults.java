package dev.codemode.server.broker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an MCP {@code CallToolResult} (as JSON) into the value the guest's promise resolves to:
 * {@code structuredContent}, else each content block's value (one block → that value, several → an array).
 * Binary content never crosses: images, audio and embedded resources become small descriptors.
 */
public final class ToolResults {
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Longest tool error message passed on to the guest, in characters. */
  static final int MAX_ERROR_CHARS = 2000;

  private ToolResults() {}

  /** Whether the result reports a tool-level error ({@code isError: true}). */
  public static boolean isError(JsonNode result) {
    return result.path("isError").asBoolean(false);
  }

  /** The guest-visible value of a successful result. */
  public static JsonNode unwrap(JsonNode result) {
    JsonNode structured = result.get("structuredContent");
    if (structured != null && !structured.isNull()) {
      return structured;
    }
    JsonNode content = result.path("content");
    if (!content.isArray() || content.isEmpty()) {
      return NullNode.getInstance();
    }
    if (content.size() == 1) {
      return block(content.get(0));
    }
    ArrayNode out = NODES.arrayNode();
    content.forEach(b -> out.add(block(b)));
    return out;
  }

  /** The message of an {@code isError} result: its text blocks joined, bounded; a fixed phrase when it has none. */
  public static String errorMessage(JsonNode result) {
    List<String> texts = new ArrayList<>();
    result.path("content").forEach(b -> {
      if ("text".equals(b.path("type").asText()) && !b.path("text").asText().isBlank()) {
        texts.add(b.path("text").asText());
      }
    });
    String message = texts.isEmpty() ? "the tool reported an error without a message" : String.join("\n", texts);
    return message.length() <= MAX_ERROR_CHARS ? message : message.substring(0, MAX_ERROR_CHARS) + "… [truncated]";
  }

  /** One content block's value. */
  static JsonNode block(JsonNode b) {
    String type = b.path("type").asText("");
    switch (type) {
      case "text":
        return text(b.path("text").asText(""));
      case "image":
      case "audio": {
        ObjectNode d = NODES.objectNode().put("type", type);
        putText(d, "mimeType", b.get("mimeType"));
        d.put("bytes", base64Bytes(b.path("data").asText("")));
        return d;
      }
      case "resource": {
        JsonNode r = b.path("resource");
        ObjectNode d = NODES.objectNode().put("type", "resource");
        putText(d, "uri", r.get("uri"));
        putText(d, "mimeType", r.get("mimeType"));
        if (r.hasNonNull("blob")) {
          d.put("bytes", base64Bytes(r.get("blob").asText()));
        } else if (r.hasNonNull("text")) {
          d.put("bytes", r.get("text").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        return d;
      }
      case "resource_link": {
        ObjectNode d = NODES.objectNode().put("type", "resource_link");
        putText(d, "uri", b.get("uri"));
        putText(d, "name", b.get("name"));
        putText(d, "mimeType", b.get("mimeType"));
        return d;
      }
      default:
        return NODES.objectNode().put("type", type.isEmpty() ? "unknown" : type);
    }
  }

  /** Text that is a JSON document becomes that JSON; any other text stays a string. */
  static JsonNode text(String text) {
    String t = text.strip();
    if (!t.isEmpty()) {
      try {
        JsonNode parsed = JSON.readTree(t);
        if (parsed != null && !parsed.isMissingNode()) {
          return parsed;
        }
      } catch (Exception notJson) {
        // Plain text.
      }
    }
    return TextNode.valueOf(text);
  }

  private static void putText(ObjectNode d, String key, JsonNode value) {
    if (value != null && value.isTextual()) {
      d.put(key, value.asText());
    }
  }

  /** Decoded size of base64 text, computed without decoding it. */
  static long base64Bytes(String data) {
    int len = data.length();
    while (len > 0 && Character.isWhitespace(data.charAt(len - 1))) {
      len--;
    }
    int padding = 0;
    while (padding < 2 && len - padding > 0 && data.charAt(len - 1 - padding) == '=') {
      padding++;
    }
    return Math.max(0, (long) len * 3 / 4 - padding);
  }
}
