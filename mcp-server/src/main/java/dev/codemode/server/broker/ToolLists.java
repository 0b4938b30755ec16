package dev.codemode.server.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.bindings.ServerTools;
import dev.codemode.bindings.ToolDescriptor;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads a server's whole {@code tools/list} (all pages) and turns it into the bindings' {@link ServerTools}. */
final class ToolLists {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_PAGES = 50;

  private ToolLists() {}

  /** Every tool, following {@code nextCursor} for at most 50 pages. */
  static List<McpSchema.Tool> listAll(McpAsyncClient client) {
    List<McpSchema.Tool> all = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      McpSchema.ListToolsResult r = (cursor == null ? client.listTools() : client.listTools(cursor)).block();
      if (r.tools() != null) {
        all.addAll(r.tools());
      }
      cursor = r.nextCursor();
      if (cursor == null || cursor.isEmpty()) {
        break;
      }
    }
    return all;
  }

  /** The tools under the configured server name; a nameless or repeated tool is dropped (it cannot be addressed unambiguously). */
  static ServerTools serverTools(String server, String description, List<McpSchema.Tool> list) {
    List<ToolDescriptor> descriptors = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (McpSchema.Tool t : list) {
      if (t.name() == null || !seen.add(t.name())) {
        continue;
      }
      JsonNode input = t.inputSchema() == null ? JSON.createObjectNode().put("type", "object") : JSON.valueToTree(t.inputSchema());
      JsonNode output = t.outputSchema() == null ? null : JSON.valueToTree(t.outputSchema());
      descriptors.add(new ToolDescriptor(t.name(), t.title(), t.description(), input, output));
    }
    return new ServerTools(server, description, descriptors);
  }
}
