package dev.codemode.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the production audit writer wrote and checks every line against {@code audit-event.schema.json}:
 * one JSON object per line, valid, with numeric durations and counts. On a shared stderr every line that
 * starts with <code>{</code> is taken as an audit event (the server's own log lines start with the time).
 */
public final class AuditLines {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA = "/dev/codemode/server/audit/audit-event.schema.json";
  private static final Schema VALIDATOR = load();

  private AuditLines() {}

  private static Schema load() {
    try (InputStream in = AuditLines.class.getResourceAsStream(SCHEMA)) {
      JsonNode schema = JSON.readTree(in);
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
          b -> b.schemaLoader(l -> l.fetchRemoteResources(false))).getSchema(schema);
    } catch (Exception e) {
      throw new IllegalStateException("the audit schema cannot be loaded", e);
    }
  }

  /**
   * The audit events among {@code text}'s lines, each checked; throws naming the first bad line. A last
   * line without its line break is still being written (or was cut by a killed process) and is skipped.
   */
  public static List<JsonNode> checked(String text) {
    List<JsonNode> out = new ArrayList<>();
    String complete = text.endsWith("\n") ? text : text.substring(0, text.lastIndexOf('\n') + 1);
    for (String line : complete.split("\n")) {
      if (!line.startsWith("{")) {
        continue;
      }
      out.add(check(line));
    }
    return out;
  }

  /** The audit events of {@code file}, each checked. */
  public static List<JsonNode> checked(Path file) throws java.io.IOException {
    return checked(Files.readString(file, StandardCharsets.UTF_8));
  }

  /** An event's fields by dotted name ({@code codemode.run_id}), as text; arrays joined with commas. */
  public static java.util.Map<String, String> flat(JsonNode event) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    flatten("", event, out);
    return out;
  }

  private static void flatten(String prefix, JsonNode n, java.util.Map<String, String> out) {
    if (n.isObject()) {
      n.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
    } else if (n.isArray()) {
      List<String> items = new ArrayList<>();
      n.forEach(i -> items.add(i.asText()));
      out.put(prefix, String.join(",", items));
    } else {
      out.put(prefix, n.asText());
    }
  }

  /** {@code line} parsed and checked against the schema. */
  public static JsonNode check(String line) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("an audit line is not JSON: " + line, e);
    }
    if (!n.isObject()) {
      throw new AssertionError("an audit line is not one JSON object: " + line);
    }
    List<Error> errors = VALIDATOR.validate(n);
    if (!errors.isEmpty()) {
      throw new AssertionError("an audit line does not match audit-event.schema.json: " + errors + "\n" + line);
    }
    return n;
  }
}
