package dev.codemode.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/**
 * The one JSON form of an audit event, for the log and for quarantine bundles: dotted field names
 * ({@code event.action}, {@code codemode.run_id}) become nested objects as the Elastic Common Schema lays
 * them out, so {@code .codemode.run_id} addresses a field directly; values keep their JSON types and
 * instants are RFC 3339 text. The field names and types are fixed by {@code audit-event.schema.json}.
 */
public final class AuditJson {
  /** The ECS version the field names follow. */
  public static final String ECS_VERSION = "8.11.0";
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditJson() {}

  /** {@code fields} as one nested object; {@code at} is used when the fields carry no {@code @timestamp}. */
  static ObjectNode tree(Map<String, Object> fields, Instant at, String level) {
    ObjectNode root = JSON.createObjectNode();
    root.put("@timestamp", (fields.get("@timestamp") instanceof Instant i ? i : at).toString());
    root.putObject("log").put("level", level);
    root.putObject("ecs").put("version", ECS_VERSION);
    for (Map.Entry<String, Object> f : fields.entrySet()) {
      Object v = f.getValue();
      if (v == null || f.getKey().equals("@timestamp")) {
        continue;
      }
      String[] path = f.getKey().split("\\.");
      ObjectNode parent = root;
      for (int i = 0; i < path.length - 1; i++) {
        parent = parent.get(path[i]) instanceof ObjectNode o ? o : parent.putObject(path[i]);
      }
      parent.set(path[path.length - 1], node(v));
    }
    return root;
  }

  /** The JSON value of a field; the common scalar types directly, since a tree conversion costs a serializer pass. */
  private static JsonNode node(Object v) {
    JsonNodeFactory f = JSON.getNodeFactory();
    if (v instanceof String s) {
      return f.textNode(s);
    } else if (v instanceof Boolean b) {
      return f.booleanNode(b);
    } else if (v instanceof Integer n) {
      return f.numberNode(n);
    } else if (v instanceof Long n) {
      return f.numberNode(n);
    } else if (v instanceof Instant i) {
      return f.textNode(i.toString());
    }
    return JSON.valueToTree(v);
  }

  /** {@code event} as one line of JSON (no line break). */
  public static String line(AuditEvent event) {
    return line(event.fields(), Instant.now(), level(event.routine()));
  }

  /** {@code fields} at {@code level} as one line of JSON (no line break). */
  static String line(Map<String, Object> fields, Instant at, String level) {
    try {
      return JSON.writeValueAsString(tree(fields, at, level));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an audit event could not be written as JSON", e);
    }
  }

  /** The log level of a routine ({@code info}) or notable ({@code warn}) event. */
  static String level(boolean routine) {
    return routine ? "info" : "warn";
  }
}
