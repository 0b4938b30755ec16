package dev.codemode.server.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Checks a tool call's arguments against the tool's {@code inputSchema} on the host, before anything is
 * sent downstream. Compiled schemas are kept per schema object; remote {@code $ref}s are never fetched.
 */
public final class ArgumentValidator {
  private static final int MAX_ERRORS = 5;
  private static final int MAX_CACHED = 2048;
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
      b -> b.schemaLoader(l -> l.fetchRemoteResources(false)));
  private final ConcurrentHashMap<Identity, Schema> compiled = new ConcurrentHashMap<>();

  /**
   * The problem with {@code args}, naming each offending field, or empty when they are valid.
   *
   * @param tool {@code server.tool}, used in the message
   */
  public Optional<String> check(String tool, JsonNode inputSchema, JsonNode args) {
    if (args == null || !args.isObject()) {
      return Optional.of("invalid arguments for " + tool + ": arguments must be an object, got "
          + (args == null ? "nothing" : args.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
    }
    List<Error> errors;
    try {
      errors = schema(inputSchema).validate(args);
    } catch (RuntimeException e) {
      // Fail closed: a schema the validator cannot use means the arguments cannot be checked.
      return Optional.of("cannot check arguments for " + tool + ": its input schema is not usable ("
          + e.getMessage() + ")");
    }
    if (errors.isEmpty()) {
      return Optional.empty();
    }
    String listed = errors.stream().limit(MAX_ERRORS).map(ArgumentValidator::describe).collect(Collectors.joining("; "));
    return Optional.of("invalid arguments for " + tool + ": " + listed
        + (errors.size() > MAX_ERRORS ? " (and " + (errors.size() - MAX_ERRORS) + " more)" : ""));
  }

  private Schema schema(JsonNode inputSchema) {
    // Keyed by the schema object itself: a tool list refresh brings new objects, and hashing by identity
    // avoids serializing the schema on every call.
    Identity key = new Identity(inputSchema);
    Schema s = compiled.get(key);
    if (s == null) {
      s = registry.getSchema(inputSchema);
      if (compiled.size() >= MAX_CACHED) {
        compiled.clear();
      }
      compiled.put(key, s);
    }
    return s;
  }

  private record Identity(JsonNode node) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity other && other.node == node;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(node);
    }
  }

  /** "field: message", the field as a path into the arguments ({@code entities[1].name}). */
  private static String describe(Error e) {
    String message = e.getMessage() == null ? e.getKeyword() : e.getMessage();
    String at = path(e.getInstanceLocation());
    if (e.getProperty() != null && "required".equals(e.getKeyword())) {
      return "'" + e.getProperty() + "' is required" + (at.isEmpty() ? "" : " in '" + at + "'");
    }
    return at.isEmpty() ? message : "'" + at + "': " + message;
  }

  static String path(NodePath p) {
    if (p == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < p.getNameCount(); i++) {
      Object el = p.getElement(i);
      if (el instanceof Number n) {
        sb.append('[').append(n).append(']');
      } else {
        sb.append(sb.length() == 0 ? "" : ".").append(el);
      }
    }
    return sb.toString();
  }
}
