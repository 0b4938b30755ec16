package dev.codemode.bindings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** {@code const} and {@code enum} values as TypeScript literal types. */
final class SchemaLiterals {

  /** Longer strings widen to {@code string} rather than bloat the declarations. */
  static final int MAX_LITERAL_LENGTH = 1000;

  private SchemaLiterals() {}

  /** The literal type of one JSON value; objects and arrays, huge strings and non-finite numbers widen. */
  static TsType literal(JsonNode value) {
    if (value == null || value.isNull()) {
      return TsType.atom("null");
    }
    if (value.isTextual()) {
      String text = value.textValue();
      return text.length() <= MAX_LITERAL_LENGTH ? TsType.atom(JsText.doubleQuoted(text)) : TsType.atom("string");
    }
    if (value.isBoolean()) {
      return TsType.atom(value.booleanValue() ? "true" : "false");
    }
    if (value.isNumber()) {
      boolean finite = !(value.isDouble() || value.isFloat()) || Double.isFinite(value.doubleValue());
      return finite ? TsType.atom(value.asText()) : TsType.atom("number");
    }
    if (value.isArray()) {
      return TsType.atom("unknown[]");
    }
    if (value.isObject()) {
      return TsType.atom("{ [key: string]: unknown }");
    }
    return TsType.UNKNOWN;
  }

  /** The union of the enum's literals; past {@code maxMembers} values, the union of their widened types. */
  static TsType union(JsonNode values, int maxMembers) {
    List<TsType> members = new ArrayList<>();
    boolean widen = values.size() > maxMembers;
    for (JsonNode value : values) {
      members.add(widen ? widened(value) : literal(value));
    }
    return TsType.union(members);
  }

  private static TsType widened(JsonNode value) {
    if (value.isTextual()) {
      return TsType.atom("string");
    }
    if (value.isNumber()) {
      return TsType.atom("number");
    }
    if (value.isBoolean()) {
      return TsType.atom("boolean");
    }
    return literal(value);
  }
}
