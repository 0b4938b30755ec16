package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code bin/codemode serve} over stdio: a malformed line gets a JSON-RPC error, and the server carries on and ends at EOF. */
class StdioMalformedLineIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aMalformedLineIsAnsweredWithAParseErrorAndTheServerCarriesOn() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(TsClient.repoRoot().resolve("bin/codemode").toString(), "serve")
        .directory(TsClient.repoRoot().toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("CODEMODE_NO_BUILD", "1");
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
          + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");
      assertEquals(1, JSON.readTree(out.readLine()).path("id").asInt());
      send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      send(in, "this is not json");
      JsonNode parseError = JSON.readTree(out.readLine());
      assertEquals(-32700, parseError.at("/error/code").asInt(), parseError.toString());
      assertTrue(parseError.get("id").isNull(), parseError.toString());
      send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
      JsonNode tools = JSON.readTree(out.readLine());
      assertEquals(2, tools.path("id").asInt(), tools.toString());
      assertEquals("execute_code", tools.at("/result/tools/0/name").asText(), tools.toString());
      in.close();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server ends at the end of its input");
    } finally {
      p.destroyForcibly();
    }
  }

  private static void send(OutputStream in, String line) throws Exception {
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }
}
