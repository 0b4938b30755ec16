package dev.codemode.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deep, wide, self-referential and explosive schemas: bounded time, bounded output, no stack overflow. */
class HostileSchemaTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Duration QUICK = Duration.ofSeconds(10);

  @Test
  void nestingBeyondTheDepthCapBecomesUnknown() {
    ObjectNode schema = nestedArrays(10);
    String ts = new SchemaToTypeScript(new SchemaToTypeScript.Limits(3, 1000, 100)).declarations(schema, "T");
    assertEquals("export type T = unknown[][][][];\n", ts);
  }

  @Test
  void hundredThousandLevelsOfArraysDoNotOverflowTheStack() {
    ObjectNode schema = nestedArrays(100_000);
    String ts = assertTimeoutPreemptively(QUICK, () -> new SchemaToTypeScript().declarations(schema, "T"));
    int depth = SchemaToTypeScript.Limits.DEFAULT.maxDepth();
    assertEquals("export type T = unknown" + "[]".repeat(depth + 1) + ";\n", ts);
  }

  @Test
  void hundredThousandLevelsOfObjectsAndCombinatorsDoNotOverflowTheStack() {
    ObjectNode schema = F.objectNode();
    ObjectNode cursor = schema;
    for (int i = 0; i < 100_000; i++) {
      ObjectNode next = F.objectNode();
      switch (i % 3) {
        case 0 -> cursor.putObject("properties").set("p", next);
        case 1 -> cursor.putArray("anyOf").add(next).addObject().put("type", "null");
        default -> cursor.putArray("allOf").add(next);
      }
      cursor = next;
    }
    String ts = assertTimeoutPreemptively(QUICK, () -> new SchemaToTypeScript().declarations(schema, "T"));
    assertTrue(ts.contains("unknown") && ts.length() < 10_000, ts);
  }

  @Test
  void deepDefaultValuesDoNotBreakTheDocs() {
    ObjectNode deep = F.objectNode();
    ObjectNode cursor = deep;
    for (int i = 0; i < 100_000; i++) {
      cursor = cursor.putObject("x");
    }
    ObjectNode schema = F.objectNode();
    schema.putObject("properties").putObject("p").put("type", "string").set("default", deep);
    String ts = assertTimeoutPreemptively(QUICK, () -> new SchemaToTypeScript().declarations(schema, "T"));
    assertTrue(ts.contains("  p?: string;"), ts.substring(0, Math.min(ts.length(), 300)));
    assertTrue(ts.length() < JsDoc.MAX_TEXT + 200);
  }

  @Test
  void exponentialRefExpansionStopsAtTheNodeBudget() {
    ObjectNode schema = F.objectNode();
    schema.put("$ref", "#/$defs/D0");
    ObjectNode defs = schema.putObject("$defs");
    for (int i = 0; i < 64; i++) {
      ArrayNode anyOf = defs.putObject("D" + i).putArray("anyOf");
      anyOf.addObject().put("$ref", "#/$defs/D" + (i + 1));
      anyOf.addObject().put("$ref", "#/$defs/D" + (i + 1));
    }
    defs.putObject("D64").put("type", "string");
    String ts = assertTimeoutPreemptively(QUICK, () -> new SchemaToTypeScript().declarations(schema, "T"));
    assertTrue(ts.length() < 1000, ts);
  }

  @Test
  void exponentialStructuralFanOutStaysBounded() {
    ObjectNode schema = F.objectNode();
    ObjectNode defs = schema.putObject("$defs");
    schema.putObject("properties").putObject("p").put("$ref", "#/$defs/D0");
    for (int i = 0; i < 64; i++) {
      ObjectNode props = defs.putObject("D" + i).putObject("properties");
      props.putObject("a").put("$ref", "#/$defs/D" + (i + 1));
      props.putObject("b").put("$ref", "#/$defs/D" + (i + 1));
    }
    defs.putObject("D64").put("type", "string");
    String ts = assertTimeoutPreemptively(QUICK, () -> new SchemaToTypeScript().declarations(schema, "T"));
    assertEquals(66, ts.split("export type ", -1).length - 1, "root + 65 named defs, each once");
  }

  @Test
  void wideObjectsAreCutAndStayOpen() {
    ObjectNode schema = F.objectNode();
    ObjectNode props = schema.putObject("properties");
    for (int i = 0; i < 200_000; i++) {
      props.putObject("p" + i).put("type", "string");
    }
    String ts = assertTimeoutPreemptively(QUICK, () -> new SchemaToTypeScript().declarations(schema, "T"));
    int max = SchemaToTypeScript.Limits.DEFAULT.maxMembers();
    assertTrue(ts.contains("  p" + (max - 1) + "?: string;\n  [key: string]: unknown;\n};"), "cut after the limit");
    assertTrue(!ts.contains("  p" + max + "?:"));
  }

  @Test
  void hugeEnumsWidenToTheirBaseTypes() {
    ObjectNode schema = F.objectNode();
    ArrayNode values = schema.putArray("enum");
    for (int i = 0; i < 100_000; i++) {
      values.add("v" + i);
    }
    values.add(7);
    assertEquals("export type T = string | number;\n", new SchemaToTypeScript().declarations(schema, "T"));
  }

  @Test
  void hugeUnionsBecomeUnknown() {
    ObjectNode schema = F.objectNode();
    ArrayNode members = schema.putArray("oneOf");
    for (int i = 0; i < 5_000; i++) {
      members.addObject().put("const", i);
    }
    assertEquals("export type T = unknown;\n", new SchemaToTypeScript().declarations(schema, "T"));
  }

  @Test
  void hostileNamesStillGenerateForTheWholeServer() throws Exception {
    GeneratedBindings bindings = new BindingsGenerator().generate(List.of(HostileServer.server()));
    String js = bindings.files().get("servers/weIrdSrvScript/index.js");
    assertTrue(js.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f) || Character.isLetter(c)), js);
    assertTrue(!js.contains("</script>") && !js.contains("\u2028"), js);
  }

  private static ObjectNode nestedArrays(int levels) {
    ObjectNode schema = F.objectNode();
    ObjectNode cursor = schema;
    for (int i = 0; i < levels; i++) {
      cursor.put("type", "array");
      cursor = cursor.putObject("items");
    }
    cursor.put("type", "string");
    return schema;
  }
}
