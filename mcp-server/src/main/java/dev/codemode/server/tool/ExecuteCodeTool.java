package dev.codemode.server.tool;

import dev.codemode.server.CodemodeService;
import dev.codemode.server.RunAnswer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one model-facing tool, {@code execute_code}: its schema and a handler that always answers. */
public final class ExecuteCodeTool {
  /** The tool's MCP name. */
  public static final String NAME = "execute_code";
  private static final Logger LOG = LoggerFactory.getLogger(ExecuteCodeTool.class);

  private ExecuteCodeTool() {}

  /** The input schema of the contract: {@code code} required; {@code profile}, {@code allowed_tools}, {@code timeout_ms} optional. */
  public static Map<String, Object> inputSchema() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("code", Map.of("type", "string",
        "description", "JavaScript: the body of an async function (await and return work), or an ES module whose default export is the result."));
    props.put("profile", Map.of("type", "string", "description", "Policy profile to run under (default: 'default')."));
    props.put("allowed_tools", Map.of("type", "array", "items", Map.of("type", "string"),
        "description", "Narrow the callable tools for this run: 'server.tool' patterns, '*' within a segment."));
    props.put("timeout_ms", Map.of("type", "integer", "minimum", 1,
        "description", "Wall-time budget in ms; can only lower the profile's budget."));
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", props);
    schema.put("required", List.of("code"));
    schema.put("additionalProperties", false);
    return schema;
  }

  /** The tool as listed, described for {@code service}'s servers and profiles. */
  public static McpSchema.Tool tool(CodemodeService service) {
    return McpSchema.Tool.builder().name(NAME).title("Execute code").description(service.toolDescription())
        .inputSchema(inputSchema()).build();
  }

  /**
   * Renders what {@code call} answers (a run's answer counts in {@code service}'s metrics); whatever it throws
   * becomes an internal-error refusal, never an unanswered request.
   */
  public static CallToolResult answer(CodemodeService service, Supplier<RunAnswer> call) {
    try {
      RunAnswer answer = call.get();
      CallToolResult result = ResultRenderer.render(answer);
      if (answer instanceof RunAnswer.Ran) {
        service.oversight().metrics().answered(result);
      }
      return result;
    } catch (Throwable t) {
      // A StackOverflowError or LinkageError thrown here would otherwise leave the request unanswered.
      LOG.error("execute_code failed unexpectedly", t);
      return ResultRenderer.render(new RunAnswer.Refused("internal error in the server; the run did not complete"));
    }
  }
}
