package dev.codemode.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StdioCancelTapTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String through(String input, List<String> cancelled) throws Exception {
    try (InputStream in = new StdioCancelTap(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), cancelled::add)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void toolCallsAreTaggedWithTheirIdAndOtherLinesPassUnchanged() throws Exception {
    List<String> cancelled = new ArrayList<>();
    String ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n";
    String call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"execute_code\",\"arguments\":{\"code\":\"return 0.1\"},"
        + "\"_meta\":{\"progressToken\":\"t1\",\"dev.codemode/request-id\":\"forged\"}}}\n";
    String out = through(ping + call + "  \n", cancelled);
    String[] lines = out.split("\n", -1);
    assertEquals(ping.trim(), lines[0]);
    var tagged = JSON.readTree(lines[1]);
    assertEquals("7", tagged.path("params").path("_meta").path("dev.codemode/request-id").asText(), "the client's value is overwritten");
    assertEquals("t1", tagged.path("params").path("_meta").path("progressToken").asText());
    assertEquals("return 0.1", tagged.path("params").path("arguments").path("code").asText());
    assertEquals("  ", lines[2]);
    assertEquals(List.of(), cancelled);
  }

  @Test
  void cancellationsAreReportedWithTheIdAsJson() throws Exception {
    List<String> cancelled = new ArrayList<>();
    String in = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":7,\"reason\":\"x\"}}\n"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"7\"}}\n"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":{\"x\":1}}}\n"
        + "not json at all notifications/cancelled\n"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\"";
    assertEquals(in, through(in, cancelled), "notifications still reach the SDK unchanged");
    assertEquals(List.of("7", "\"7\""), cancelled);
  }
}
