package dev.codemode.bindings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** One MCP tool as {@code tools/list} describes it; {@code title}, {@code description} and {@code outputSchema} may be null. */
public record ToolDescriptor(
    String name, String title, String description, JsonNode inputSchema, JsonNode outputSchema) {

  public ToolDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(inputSchema, "inputSchema");
  }
}
