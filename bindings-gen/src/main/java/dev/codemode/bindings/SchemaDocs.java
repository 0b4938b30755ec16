package dev.codemode.bindings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** JSDoc for a property from its schema's annotation and validation keywords. */
final class SchemaDocs {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_EXAMPLES = 5;
  private static final List<String> VALUE_TAGS = List.of(
      "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
      "minItems", "maxItems");

  private SchemaDocs() {}

  /** Description (or title), then {@code @default}, bounds, {@code @pattern}, {@code @format}, {@code @example}, {@code @deprecated}. */
  static JsDoc of(JsonNode schema) {
    JsDoc doc = new JsDoc();
    if (!schema.isObject()) {
      return doc;
    }
    String description = text(schema, "description");
    doc.text(description != null ? description : text(schema, "title"));
    if (schema.has("default")) {
      doc.tag("default", json(schema.get("default")));
    }
    for (String tag : VALUE_TAGS) {
      JsonNode value = schema.get(tag);
      if (value != null && value.isNumber()) {
        doc.tag(tag, value.asText());
      }
    }
    String pattern = text(schema, "pattern");
    if (pattern != null) {
      doc.tag("pattern", pattern);
    }
    String format = text(schema, "format");
    if (format != null) {
      doc.tag("format", format);
    }
    JsonNode examples = schema.get("examples");
    if (examples != null && examples.isArray()) {
      for (int i = 0; i < Math.min(MAX_EXAMPLES, examples.size()); i++) {
        doc.tag("example", json(examples.get(i)));
      }
    } else if (schema.has("example")) {
      doc.tag("example", json(schema.get("example")));
    }
    if (schema.path("deprecated").asBoolean(false)) {
      doc.tag("deprecated", "");
    }
    return doc;
  }

  /** A string keyword's value, or null when absent or not a string. */
  static String text(JsonNode schema, String keyword) {
    JsonNode value = schema.get(keyword);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  private static String json(JsonNode value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException | RuntimeException e) {
      return "(not representable)";
    }
  }
}
