package dev.codemode.bindings;

import java.util.List;
import java.util.Objects;

/** The tools of one downstream MCP server under its configured name; {@code description} may be null. */
public record ServerTools(String server, String description, List<ToolDescriptor> tools) {

  public ServerTools {
    Objects.requireNonNull(server, "server");
    tools = List.copyOf(tools);
  }
}
