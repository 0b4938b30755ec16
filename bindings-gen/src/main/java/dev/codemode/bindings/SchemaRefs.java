package dev.codemode.bindings;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code $ref} resolution within one document. {@code #}, {@code #/$defs/X} and
 * {@code #/definitions/X} become named type aliases when referenced from inside a structure
 * (property, item, index signature), where TypeScript accepts recursion; elsewhere, and for any
 * other local JSON pointer, the target is inlined. A target already being inlined or declared on
 * the current path is a cycle without structure and becomes {@code unknown}. Non-local refs are
 * {@code unknown}.
 */
final class SchemaRefs {

  private static final Pattern NAMEABLE = Pattern.compile("/(\\$defs|definitions)/([^/]+)");

  private final JsonNode document;
  private final TypeNames names;
  private final SchemaConverter converter;
  private final Map<String, String> named = new LinkedHashMap<>();
  private final Deque<String> pending = new ArrayDeque<>();
  private final Set<String> inlining = new HashSet<>();

  SchemaRefs(JsonNode document, String rootName, TypeNames names, SchemaConverter converter) {
    this.document = document;
    this.names = names;
    this.converter = converter;
    named.put("", rootName);
  }

  /** Renders the root, then every named target reached, in first-reference order. */
  ConvertedSchema convertAll() {
    List<ConvertedSchema.NamedType> types = new ArrayList<>();
    types.add(declare("", document));
    while (!pending.isEmpty()) {
      String pointer = pending.removeFirst();
      types.add(declare(pointer, resolve(pointer)));
    }
    return new ConvertedSchema(types);
  }

  private ConvertedSchema.NamedType declare(String pointer, JsonNode schema) {
    inlining.add(pointer);
    TsType type = converter.render(schema, new SchemaConverter.Ctx(0, false, ""));
    inlining.remove(pointer);
    String description = schema != null && schema.isObject() ? SchemaDocs.text(schema, "description") : null;
    return new ConvertedSchema.NamedType(named.get(pointer), description, type.text());
  }

  /** The type a {@code $ref} stands for at this place. */
  TsType reference(String ref, SchemaConverter.Ctx ctx) {
    if (!ref.startsWith("#")) {
      return TsType.UNKNOWN;
    }
    String pointer = percentDecode(ref.substring(1));
    JsonNode target = resolve(pointer);
    if (target == null) {
      return TsType.UNKNOWN;
    }
    Matcher nameable = NAMEABLE.matcher(pointer);
    boolean canName = pointer.isEmpty() || nameable.matches();
    if (canName && ctx.structural()) {
      return TsType.atom(nameFor(pointer, !pointer.isEmpty() ? unescape(nameable.group(2)) : ""));
    }
    if (!inlining.add(pointer)) {
      return TsType.UNKNOWN;
    }
    try {
      return converter.render(target, ctx.deeper());
    } finally {
      inlining.remove(pointer);
    }
  }

  private String nameFor(String pointer, String hint) {
    String name = named.get(pointer);
    if (name == null) {
      name = names.allocate(hint);
      named.put(pointer, name);
      pending.addLast(pointer);
    }
    return name;
  }

  /** The node a JSON pointer designates in the document, or null. */
  private JsonNode resolve(String pointer) {
    if (pointer.isEmpty()) {
      return document;
    }
    if (!pointer.startsWith("/")) {
      return null;
    }
    JsonNode node = document;
    for (String raw : pointer.substring(1).split("/", -1)) {
      String token = unescape(raw);
      if (node.isObject()) {
        node = node.get(token);
      } else if (node.isArray() && token.matches("0|[1-9][0-9]{0,8}")) {
        node = node.get(Integer.parseInt(token));
      } else {
        return null;
      }
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  private static String unescape(String token) {
    return token.replace("~1", "/").replace("~0", "~");
  }

  private static String percentDecode(String fragment) {
    if (fragment.indexOf('%') < 0) {
      return fragment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < fragment.length()) {
      int hex = fragment.charAt(i) == '%' ? hexByte(fragment, i + 1) : -1;
      if (hex >= 0) {
        bytes.write(hex);
        i += 3;
      } else {
        int cp = fragment.codePointAt(i);
        byte[] encoded = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
        i += Character.charCount(cp);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hexByte(String text, int at) {
    if (at + 2 > text.length()) {
      return -1;
    }
    int high = Character.digit(text.charAt(at), 16);
    int low = Character.digit(text.charAt(at + 1), 16);
    return high < 0 || low < 0 ? -1 : high * 16 + low;
  }
}
