package dev.codemode.server.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Unwrapping of real SDK {@code CallToolResult}s, serialized the way the broker receives them. */
class ToolResultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode result(CallToolResult r) {
    return JSON.valueToTree(r);
  }

  private static JsonNode unwrap(Content... blocks) {
    return ToolResults.unwrap(result(CallToolResult.builder().content(List.of(blocks)).build()));
  }

  @Test
  void structuredContentWinsOverText() {
    JsonNode r = result(CallToolResult.builder().addTextContent("{\"temperature\": 1}")
        .structuredContent(Map.of("temperature", 22, "conditions", "Sunny")).build());
    assertEquals(22, ToolResults.unwrap(r).get("temperature").asInt());
    assertEquals("Sunny", ToolResults.unwrap(r).get("conditions").asText());
  }

  @Test
  void jsonTextIsParsed() {
    assertEquals("{\"a\":[1,2]}", unwrap(new TextContent("  {\"a\": [1, 2]}\n")).toString());
    assertEquals(42, unwrap(new TextContent("42")).asInt());
  }

  @Test
  void plainTextStaysText() {
    assertEquals("Echo: hi", unwrap(new TextContent("Echo: hi")).asText());
    assertTrue(unwrap(new TextContent("{\"a\": 1} trailing")).isTextual(), "a JSON prefix with trailing text is text");
    assertTrue(unwrap(new TextContent("")).isTextual());
  }

  @Test
  void severalBlocksBecomeAnArray() {
    JsonNode v = unwrap(new TextContent("first"), new TextContent("[1]"));
    assertEquals("[\"first\",[1]]", v.toString());
  }

  @Test
  void imagesAndAudioBecomeDescriptorsWithoutData() {
    byte[] png = new byte[1000];
    String data = Base64.getEncoder().encodeToString(png);
    JsonNode v = unwrap(new TextContent("here"), new McpSchema.ImageContent(null, data, "image/png"),
        new McpSchema.AudioContent(null, Base64.getEncoder().encodeToString(new byte[7]), "audio/wav"));
    assertEquals("{\"type\":\"image\",\"mimeType\":\"image/png\",\"bytes\":1000}", v.get(1).toString());
    assertEquals("{\"type\":\"audio\",\"mimeType\":\"audio/wav\",\"bytes\":7}", v.get(2).toString());
    assertFalse(v.toString().contains(data.substring(0, 20)), "no base64 reaches the guest");
  }

  @Test
  void embeddedResourcesBecomeDescriptors() {
    String blob = Base64.getEncoder().encodeToString(new byte[10]);
    JsonNode v = unwrap(new McpSchema.EmbeddedResource(null,
            new McpSchema.BlobResourceContents("file:///a.gz", "application/gzip", blob)),
        new McpSchema.EmbeddedResource(null, new McpSchema.TextResourceContents("test://x", "text/plain", "hello")));
    assertEquals("{\"type\":\"resource\",\"uri\":\"file:///a.gz\",\"mimeType\":\"application/gzip\",\"bytes\":10}",
        v.get(0).toString());
    assertEquals("{\"type\":\"resource\",\"uri\":\"test://x\",\"mimeType\":\"text/plain\",\"bytes\":5}", v.get(1).toString());
  }

  @Test
  void resourceLinksKeepTheirAddress() {
    JsonNode v = unwrap(new McpSchema.ResourceLink("r1", null, "test://static/resource/1", null, "text/plain", null, null, null));
    assertEquals("{\"type\":\"resource_link\",\"uri\":\"test://static/resource/1\",\"name\":\"r1\",\"mimeType\":\"text/plain\"}",
        v.toString());
  }

  @Test
  void noContentIsNull() {
    assertTrue(ToolResults.unwrap(result(CallToolResult.builder().content(List.of()).build())).isNull());
  }

  @Test
  void isErrorCarriesTheToolsMessage() {
    JsonNode r = result(CallToolResult.builder().addTextContent("Entity with name x not found").isError(true).build());
    assertTrue(ToolResults.isError(r));
    assertEquals("Entity with name x not found", ToolResults.errorMessage(r));
    JsonNode silent = result(CallToolResult.builder().content(List.of()).isError(true).build());
    assertEquals("the tool reported an error without a message", ToolResults.errorMessage(silent));
    String huge = "e".repeat(10_000);
    JsonNode big = result(CallToolResult.builder().addTextContent(huge).isError(true).build());
    assertTrue(ToolResults.errorMessage(big).length() < ToolResults.MAX_ERROR_CHARS + 20);
    assertFalse(ToolResults.isError(result(CallToolResult.builder().addTextContent("ok").build())));
  }

  @Test
  void base64SizeIsExact() {
    for (int n = 0; n < 10; n++) {
      assertEquals(n, ToolResults.base64Bytes(Base64.getEncoder().encodeToString(new byte[n])), "n=" + n);
    }
  }
}
