package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Streamable HTTP downstream: server-everything in HTTP mode on 127.0.0.1, called from {@code bin/codemode run}. */
class BrokerHttpIT {
  private static Process everything;
  private static Path dir;
  private static int port;

  @BeforeAll
  static void startServer() throws Exception {
    dir = Files.createTempDirectory("codemode-broker-http").toRealPath();
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path root = TsClient.repoRoot();
    Path log = dir.resolve("everything.log");
    ProcessBuilder pb = new ProcessBuilder("node", "-r", root.resolve("testkit/force-loopback.cjs").toString(),
        TestConfig.npmServer("server-everything").toString(), "streamableHttp")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("PORT", Integer.toString(port));
    everything = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Files.readString(log).contains("listening on port " + port)) {
      assertTrue(everything.isAlive() && System.nanoTime() < deadline, "server-everything did not start: " + Files.readString(log));
      Thread.sleep(100);
    }
  }

  @AfterAll
  static void stopServer() throws Exception {
    everything.destroy();
    everything.waitFor(10, TimeUnit.SECONDS);
  }

  @Test
  void toolsOverStreamableHttp() throws Exception {
    Path config = Files.writeString(dir.resolve("codemode.yaml"), """
        profiles:
          default:
            tools: {allow: ['web.*']}
        servers:
          web:
            url: 'http://127.0.0.1:%d/mcp'
            headers: {X-Codemode-Test: '${env:CODEMODE_IT_HEADER}'}
        """.formatted(port));
    Path script = Files.writeString(dir.resolve("web.js"), """
        const echo = await servers.web.echo({message: 'over http'});
        const weather = await servers.web.getStructuredContent({location: 'Los Angeles'});
        const sums = await Promise.all([1, 2, 3].map(a => servers.web.getSum({a, b: 1})));
        return {echo, temperatureIsNumber: typeof weather.temperature === 'number', sums};""");
    ProcessBuilder pb = new ProcessBuilder(TsClient.repoRoot().resolve("bin/codemode").toString(), "run", "--config",
        config.toString(), script.toString());
    pb.environment().put("CODEMODE_NO_BUILD", "1");
    pb.environment().put("CODEMODE_IT_HEADER", "header-secret-value");
    Path out = dir.resolve("out.json");
    Path err = dir.resolve("err.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    JsonNode r = new ObjectMapper().readTree(stdout);
    assertEquals("ok", r.path("status").asText(), stdout + Files.readString(err));
    assertEquals("Echo: over http", r.at("/result/echo").asText());
    assertTrue(r.at("/result/temperatureIsNumber").asBoolean());
    assertEquals("[\"The sum of 1 and 1 is 2.\",\"The sum of 2 and 1 is 3.\",\"The sum of 3 and 1 is 4.\"]",
        r.at("/result/sums").toString());
    assertTrue(!stdout.contains("header-secret-value") && !Files.readString(err).contains("header-secret-value"),
        "the resolved header value appears in codemode's output");
  }
}
