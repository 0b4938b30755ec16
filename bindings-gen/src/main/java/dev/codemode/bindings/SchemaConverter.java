package dev.codemode.bindings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Converts one schema document to TypeScript: the recursive walk over the keywords. One instance
 * per document; not thread-safe. Every call counts against the node budget and the depth cap,
 * beyond which the result is {@code unknown}; {@link SchemaRefs} handles {@code $ref}.
 */
final class SchemaConverter {

  /** Where in the walk a schema sits: nesting depth, whether inside a structure, indentation. */
  record Ctx(int depth, boolean structural, String indent) {
    Ctx deeper() {
      return new Ctx(depth + 1, structural, indent);
    }

    /** An array item, tuple element: inside a structure, same indentation. */
    Ctx member() {
      return new Ctx(depth + 1, true, indent);
    }

    /** A property or index signature value: inside a structure, one level deeper. */
    Ctx property() {
      return new Ctx(depth + 1, true, indent + "  ");
    }
  }

  private static final TsType EMPTY_OBJECT = TsType.atom("Record<string, never>");

  private final SchemaToTypeScript.Limits limits;
  private final SchemaRefs refs;
  private int nodes;

  SchemaConverter(JsonNode document, String rootName, TypeNames names, SchemaToTypeScript.Limits limits) {
    this.limits = limits;
    this.refs = new SchemaRefs(document, rootName, names, this);
  }

  /** The root alias followed by every named {@code $ref} target it reaches. */
  ConvertedSchema convert() {
    return refs.convertAll();
  }

  boolean budgetLeft() {
    return nodes < limits.maxNodes();
  }

  TsType render(JsonNode schema, Ctx ctx) {
    if (++nodes > limits.maxNodes() || ctx.depth() > limits.maxDepth() || schema == null) {
      return TsType.UNKNOWN;
    }
    if (schema.isBoolean()) {
      return schema.booleanValue() ? TsType.UNKNOWN : TsType.NEVER;
    }
    if (!schema.isObject()) {
      return TsType.UNKNOWN;
    }
    List<TsType> parts = new ArrayList<>();
    JsonNode ref = schema.get("$ref");
    if (ref != null && ref.isTextual()) {
      parts.add(refs.reference(ref.textValue(), ctx));
    }
    TsType base = base(schema, ctx);
    boolean combined = schema.has("allOf") || schema.has("anyOf") || schema.has("oneOf") || !parts.isEmpty();
    // An empty closed object would turn every property of the combined parts into never.
    parts.add(combined && base.equals(EMPTY_OBJECT) ? TsType.UNKNOWN : base);
    parts.add(combined(schema.get("anyOf"), ctx));
    parts.add(combined(schema.get("oneOf"), ctx));
    JsonNode allOf = schema.get("allOf");
    if (allOf != null && allOf.isArray()) {
      for (int i = 0; i < Math.min(allOf.size(), limits.maxMembers()); i++) {
        parts.add(render(allOf.get(i), ctx.deeper()));
      }
    }
    TsType result = TsType.intersection(parts);
    boolean nullable = schema.path("nullable").asBoolean(false);
    return nullable && !result.isUnknown() ? result.orNull() : result;
  }

  private TsType combined(JsonNode members, Ctx ctx) {
    if (members == null || !members.isArray() || members.isEmpty()) {
      return TsType.UNKNOWN;
    }
    List<TsType> types = new ArrayList<>();
    for (int i = 0; i < Math.min(members.size(), limits.maxMembers()); i++) {
      types.add(render(members.get(i), ctx.deeper()));
    }
    return members.size() > limits.maxMembers() ? TsType.UNKNOWN : TsType.union(types);
  }

  private TsType base(JsonNode schema, Ctx ctx) {
    if (schema.has("const")) {
      return SchemaLiterals.literal(schema.get("const"));
    }
    JsonNode enumValues = schema.get("enum");
    if (enumValues != null && enumValues.isArray()) {
      return SchemaLiterals.union(enumValues, limits.maxMembers());
    }
    JsonNode type = schema.get("type");
    if (type != null && type.isTextual()) {
      return ofType(type.textValue(), schema, ctx);
    }
    if (type != null && type.isArray()) {
      List<TsType> types = new ArrayList<>();
      for (JsonNode each : type) {
        types.add(each.isTextual() ? ofType(each.textValue(), schema, ctx) : TsType.UNKNOWN);
      }
      return TsType.union(types);
    }
    if (hasAny(schema, "properties", "additionalProperties", "patternProperties", "required")) {
      return object(schema, ctx);
    }
    if (hasAny(schema, "items", "prefixItems", "additionalItems")) {
      return array(schema, ctx);
    }
    return TsType.UNKNOWN;
  }

  private TsType ofType(String type, JsonNode schema, Ctx ctx) {
    return switch (type) {
      case "string" -> TsType.atom("string");
      case "number", "integer" -> TsType.atom("number");
      case "boolean" -> TsType.atom("boolean");
      case "null" -> TsType.atom("null");
      case "object" -> object(schema, ctx);
      case "array" -> array(schema, ctx);
      default -> TsType.UNKNOWN;
    };
  }

  private TsType object(JsonNode schema, Ctx ctx) {
    JsonNode properties = schema.get("properties");
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(name -> required.add(name.asText()));
    String inner = ctx.indent() + "  ";
    StringBuilder body = new StringBuilder();
    boolean truncated = false;
    if (properties != null && properties.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
      for (int count = 0; fields.hasNext(); count++) {
        if (count >= limits.maxMembers() || !budgetLeft()) {
          truncated = true;
          break;
        }
        Map.Entry<String, JsonNode> field = fields.next();
        TsType type = render(field.getValue(), ctx.property());
        body.append(SchemaDocs.of(field.getValue()).render(inner)).append(inner)
            .append(JsText.propertyKey(field.getKey()))
            .append(required.contains(field.getKey()) ? "" : "?")
            .append(": ").append(type.text()).append(";\n");
      }
    }
    TsType index = truncated ? TsType.UNKNOWN : indexValue(schema, body.length() > 0, ctx);
    if (body.length() == 0 && index == null) {
      return EMPTY_OBJECT;
    }
    if (body.length() == 0 && !index.text().contains("\n")) {
      return TsType.atom("{ [key: string]: " + index.text() + " }");
    }
    if (index != null) {
      body.append(inner).append("[key: string]: ").append(index.text()).append(";\n");
    }
    return TsType.atom("{\n" + body + ctx.indent() + "}");
  }

  /** The index signature's value type, or null for none (see {@link SchemaToTypeScript}). */
  private TsType indexValue(JsonNode schema, boolean hasProperties, Ctx ctx) {
    JsonNode additional = schema.get("additionalProperties");
    JsonNode patterns = schema.get("patternProperties");
    boolean patterned = patterns != null && patterns.isObject() && !patterns.isEmpty();
    if (additional == null && !patterned) {
      return schema.has("properties") ? null : TsType.UNKNOWN;
    }
    if (additional != null && additional.isBoolean() && !additional.booleanValue() && !patterned) {
      return null;
    }
    if (hasProperties) {
      return TsType.UNKNOWN;
    }
    List<TsType> values = new ArrayList<>();
    if (additional != null && !(additional.isBoolean() && !additional.booleanValue())) {
      values.add(render(additional, ctx.property()));
    }
    if (patterned) {
      Iterator<JsonNode> each = patterns.elements();
      for (int i = 0; each.hasNext() && i < limits.maxMembers(); i++) {
        values.add(render(each.next(), ctx.property()));
      }
    }
    return TsType.union(values);
  }

  private TsType array(JsonNode schema, Ctx ctx) {
    JsonNode prefix = schema.get("prefixItems");
    JsonNode items = schema.get("items");
    if (prefix != null && prefix.isArray()) {
      return tuple(prefix, items, schema, ctx);
    }
    if (items != null && items.isArray()) {
      return tuple(items, schema.get("additionalItems"), schema, ctx);
    }
    TsType element = items == null ? TsType.UNKNOWN : render(items, ctx.member());
    return TsType.arrayOf(element);
  }

  private TsType tuple(JsonNode elements, JsonNode rest, JsonNode schema, Ctx ctx) {
    if (elements.size() > limits.maxMembers()) {
      return TsType.arrayOf(TsType.UNKNOWN);
    }
    int minItems = schema.path("minItems").asInt(0);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      TsType element = render(elements.get(i), ctx.member());
      String text = element.kind() == TsType.Kind.ATOM ? element.text() : "(" + element.text() + ")";
      parts.add(i < minItems ? element.text() : text + "?");
    }
    boolean closed = rest == null
        ? schema.has("maxItems") && schema.path("maxItems").asInt() <= elements.size()
        : rest.isBoolean() && !rest.booleanValue();
    if (!closed) {
      TsType restType = rest == null ? TsType.UNKNOWN : render(rest, ctx.member());
      parts.add("..." + TsType.arrayOf(restType).text());
    }
    return TsType.atom("[" + String.join(", ", parts) + "]");
  }

  private static boolean hasAny(JsonNode schema, String... keywords) {
    for (String keyword : keywords) {
      if (schema.has(keyword)) {
        return true;
      }
    }
    return false;
  }
}
