package dev.codemode.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Checks the calls printed by call-every-wrapper.mjs against the names the generator was given. */
final class WrapperCalls {

  private WrapperCalls() {}

  static void assertCalls(String json, List<ServerTools> servers) throws Exception {
    JsonNode calls = new ObjectMapper().readTree(json);
    List<String> expected = new ArrayList<>();
    for (ServerTools server : servers) {
      Map<String, String> ids = Naming.identifiersFor(server.tools().stream().map(ToolDescriptor::name).toList());
      ids.forEach((tool, id) -> expected.add(id + " -> " + server.server() + " / " + tool));
    }
    List<String> actual = new ArrayList<>();
    for (JsonNode call : calls) {
      assertTrue(call.get("inDefault").booleanValue(), "default export lacks " + call.get("export"));
      assertEquals("{}", call.get("args").toString(), "args of " + call.get("export"));
      actual.add(call.get("export").textValue() + " -> " + call.get("server").textValue()
          + " / " + call.get("tool").textValue());
    }
    assertEquals(new TreeSet<>(expected), new TreeSet<>(actual));
    assertEquals(expected.size(), actual.size());
  }
}
