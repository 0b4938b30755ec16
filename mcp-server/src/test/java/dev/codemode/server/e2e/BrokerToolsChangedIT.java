package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker's tool cache follows {@code notifications/tools/list_changed} from a downstream server. */
class BrokerToolsChangedIT {
  @Test
  void aToolAddedDownstreamAppearsInLaterRuns() throws Exception {
    Path dir = Files.createTempDirectory("codemode-tools-changed").toRealPath();
    Path config = Files.writeString(dir.resolve("codemode.yaml"), """
        profiles:
          default:
            tools: {allow: ['changing.*']}
        servers:
          changing: {command: node, args: ['%s']}
        """.formatted(TsClient.repoRoot().resolve("testkit/tools-changing-server.mjs")));
    try (TsClient client = TsClient.start()) {
      client.connectStdio("--config", config.toString());
      JsonNode before = client.execute("return Object.keys(servers.changing).sort()").get("structuredContent");
      assertEquals("[\"addTool\"]", before.get("result").toString(), before.toString());
      assertEquals("ok", client.execute("return await servers.changing.addTool({})").at("/structuredContent/result").asText());
      JsonNode after = null;
      for (int i = 0; i < 50; i++) {
        after = client.execute("return typeof servers.changing.added === 'function' ? await servers.changing.added({}) : null")
            .get("structuredContent");
        if (!after.get("result").isNull()) {
          break;
        }
        Thread.sleep(100);
      }
      assertEquals("I was added", after.get("result").asText(), after.toString());
      JsonNode found = client.execute("return (await codemode.searchTools('added')).map(t => t.name)", Map.of())
          .get("structuredContent");
      assertTrue(found.get("result").toString().contains("changing.added"), found.toString());
    }
  }
}
