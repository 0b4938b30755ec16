package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stdio: {profiles: [...]}} limits the stdio client as a token's grant limits an HTTP principal. */
class StdioProfilesIT {
  @TempDir Path dir;

  @Test
  void theStdioClientRunsOnlyUnderItsGrantedProfiles() throws Exception {
    Path config = Files.writeString(dir.resolve("codemode.yaml"), """
        profiles:
          research:
            proc: {wall_ms: 5000}
        stdio: {profiles: [default]}
        """);
    try (TsClient client = TsClient.start()) {
      client.connectStdio("--config", config.toString());
      JsonNode ok = client.execute("return 1 + 1");
      assertEquals(2, ok.at("/structuredContent/result").asInt(), ok.toString());
      JsonNode denied = client.execute("return 1", Map.of("profile", "research"));
      assertTrue(denied.get("isError").asBoolean(), denied.toString());
      assertTrue(denied.toString().contains("denied: the stdio client may not use profile 'research' (allowed: default)"),
          denied.toString());
    }
  }
}
