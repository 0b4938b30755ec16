package dev.codemode.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines that are not JSON-RPC messages are answered with an error and kept from the SDK; the rest pass as they are. */
class StdioLineGuardTest {
  @Test
  void malformedLinesAreAnsweredAndDroppedOthersPass() throws Exception {
    String input = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\nthis is not json\n[1,2]\n{\"id\":7}\n\n"
        + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}\n";
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    StdioLineGuard.Output out = new StdioLineGuard.Output(sink);
    BufferedReader r = new BufferedReader(new InputStreamReader(
        new StdioLineGuard(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out), StandardCharsets.UTF_8));
    List<String> passed = new ArrayList<>();
    for (String l = r.readLine(); l != null; l = r.readLine()) {
      passed.add(l);
    }
    assertEquals(List.of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}"), passed);
    String[] answers = sink.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(3, answers.length);
    assertEquals(true, answers[0].contains("\"id\":null") && answers[0].contains("-32700"), answers[0]);
    assertEquals(true, answers[1].contains("-32600"), answers[1]);
    assertEquals(true, answers[2].contains("\"id\":7") && answers[2].contains("-32600"), answers[2]);
  }
}
