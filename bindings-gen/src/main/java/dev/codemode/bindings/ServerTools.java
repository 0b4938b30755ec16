package dev.codemode.bindings;

import java.util.List;
import java.util.Objects;

/** The tools of one downstream MCP server under its configured name; {@code description} may be null. */
public record ServerTools(String server, String description, List<ToolDescriptor> tools) {

  public ServerTools {
    Objects.requireNonNull(server, "server");
    tools = List.copyOf(tools);
  }

  /** The tool with this exact name. */
  public ToolDescriptor tool(String name) {
    for (ToolDescriptor tool : tools) {
      if (tool.name().equals(name)) {
        return tool;
      }
    }
    throw new IllegalArgumentException("server " + JsText.doubleQuoted(server)
        + " has no tool " + JsText.doubleQuoted(name));
  }
}
