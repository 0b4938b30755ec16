package dev.codemode.bindings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A server whose names and schemas try to break the generated code (quotes, comment ends, line breaks...). */
final class HostileServer {

  static final String NAME = "we'ird\"/../srv\u2028</script>";

  /** Tool names that collide, are reserved, or need escaping in every output language. */
  static final List<String> TOOL_NAMES = List.of(
      "it's \"quoted\"", "back\\slash", "line\nbreak", "sep\u2028arator\u2029", "</script><script>x()</script>",
      "*/ declare const pwned: 1; /*", "delete", "default", "callTool", "then", "get-sum", "get_sum",
      "getSum", "2fa", "données.lire", "\uD83D\uDE80launch", "", "constructor", "__proto__", "toString",
      "kitchen-sink");

  private HostileServer() {}

  static ServerTools server() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode sink = json.readTree(Files.readString(Path.of("src/test/resources/schemas/kitchen-sink.json")));
    JsonNode simple = json.readTree("{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"string\"}}}");
    List<ToolDescriptor> tools = new ArrayList<>();
    for (String name : TOOL_NAMES) {
      boolean isSink = name.equals("kitchen-sink");
      tools.add(new ToolDescriptor(name, "Title */ with \u2028 break", "Says */ and\n@returns nonsense\r\nand </script>",
          isSink ? sink : simple, isSink ? sink : null));
    }
    return new ServerTools(NAME, "Hostile */ server\u2029description", tools);
  }
}
