package dev.codemode.bindings;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the CLI's input: {@code {"servers":{"<name>":{"description":"...","tools":[<MCP Tool>...]}}}},
 * tools as {@code tools/list} returns them. Errors name the JSON location that is wrong.
 */
public final class ToolsFile {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private ToolsFile() {}

  /** Thrown for input that is not a well-formed tools file. */
  public static final class InvalidToolsFileException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidToolsFileException(String message) {
      super(message);
    }
  }

  /** Reads and validates a tools file. */
  public static List<ServerTools> read(Path file) throws IOException, InvalidToolsFileException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (JacksonException e) {
      throw new InvalidToolsFileException("not valid JSON: " + e.getOriginalMessage());
    }
    return parse(root);
  }

  /** Validates an already parsed tools document. */
  public static List<ServerTools> parse(JsonNode root) throws InvalidToolsFileException {
    if (root == null || !root.isObject()) {
      throw new InvalidToolsFileException("the document must be a JSON object with a \"servers\" object");
    }
    JsonNode servers = root.get("servers");
    if (servers == null || !servers.isObject()) {
      throw new InvalidToolsFileException("\"servers\" must be an object mapping server names to {description, tools}");
    }
    List<ServerTools> result = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = servers.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      result.add(server(entry.getKey(), entry.getValue()));
    }
    return result;
  }

  private static ServerTools server(String name, JsonNode node) throws InvalidToolsFileException {
    String at = "servers." + JsText.doubleQuoted(name);
    if (name.isEmpty()) {
      throw new InvalidToolsFileException(at + ": server name must not be empty");
    }
    if (!node.isObject()) {
      throw new InvalidToolsFileException(at + ": must be an object with \"tools\"");
    }
    JsonNode tools = node.get("tools");
    if (tools == null || !tools.isArray()) {
      throw new InvalidToolsFileException(at + ".tools: must be an array of MCP tool objects");
    }
    List<ToolDescriptor> descriptors = new ArrayList<>();
    for (int i = 0; i < tools.size(); i++) {
      descriptors.add(tool(at + ".tools[" + i + "]", tools.get(i)));
    }
    return new ServerTools(name, optionalText(at, node, "description"), descriptors);
  }

  private static ToolDescriptor tool(String at, JsonNode node) throws InvalidToolsFileException {
    if (!node.isObject()) {
      throw new InvalidToolsFileException(at + ": must be an object");
    }
    JsonNode name = node.get("name");
    if (name == null || !name.isTextual()) {
      throw new InvalidToolsFileException(at + ".name: must be a string");
    }
    JsonNode input = node.get("inputSchema");
    if (input == null || !input.isObject()) {
      throw new InvalidToolsFileException(at + ".inputSchema: must be a JSON Schema object");
    }
    JsonNode output = node.get("outputSchema");
    if (output != null && !output.isNull() && !output.isObject()) {
      throw new InvalidToolsFileException(at + ".outputSchema: must be a JSON Schema object when present");
    }
    return new ToolDescriptor(name.textValue(), optionalText(at, node, "title"),
        optionalText(at, node, "description"), input, output == null || output.isNull() ? null : output);
  }

  private static String optionalText(String at, JsonNode node, String field) throws InvalidToolsFileException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidToolsFileException(at + "." + field + ": must be a string when present");
    }
    return value.textValue();
  }
}
