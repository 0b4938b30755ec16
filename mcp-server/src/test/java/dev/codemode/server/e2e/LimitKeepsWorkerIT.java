package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the TypeScript SDK client, on stdio and Streamable HTTP: a wall-time, CPU-time or statement
 * limit ends the run, the worker JVMs stay the same processes, and the next run sees nothing the runaway
 * run left in its globals or built-ins.
 */
class LimitKeepsWorkerIT {
  private static final String POLLUTE = "globalThis.leak = 'left'; Object.prototype.polluted = 1;"
      + " Array.prototype.map = function () { return 'hijacked' }; JSON.stringify = () => '\"hijacked\"'; ";
  private static final String CHECK = "return [typeof globalThis.leak, 'polluted' in {}, [1].map(x => x + 1)[0],"
      + " JSON.stringify({a: 1})]";
  private static final String CLEAN = "[\"undefined\",false,2,\"{\\\"a\\\":1}\"]";
  private static final String CONFIG = """
      profiles:
        spin:
          proc: {cpu_ms: 400}
        count:
          proc: {max_statements: 200000}
      """;

  @TempDir Path dir;

  /** A call of execute_code with extra arguments, answered as the CallToolResult. */
  private interface Caller {
    JsonNode call(String code, Map<String, Object> extra) throws Exception;
  }

  @Test
  void overStdio() throws Exception {
    Path config = Files.writeString(dir.resolve("codemode.yaml"), CONFIG);
    try (TsClient client = TsClient.start()) {
      client.connectStdio("--config", config.toString());
      assertLimitsKeepTheWorkers(client::execute, client::descendants);
    }
  }

  @Test
  void overHttp() throws Exception {
    Path config = Files.writeString(dir.resolve("codemode.yaml"), CONFIG);
    try (ServerProcess server = ServerProcess.start(config); TsClient client = TsClient.start()) {
      client.connectHttp("h", server.url(), Map.of());
      assertLimitsKeepTheWorkers((code, extra) -> TsClient.value(client.executeAs("h", code, extra).get()),
          () -> ProcessHandle.of(server.pid()).orElseThrow().descendants());
    }
  }

  private static void assertLimitsKeepTheWorkers(Caller client, Supplier<Stream<ProcessHandle>> processes)
      throws Exception {
    assertEquals(2, client.call("return 1 + 1", Map.of()).at("/structuredContent/result").asInt());
    Set<Long> workers = steadyWorkers(processes);
    Object[][] runaways = {
        {"while (true) {}", Map.of("timeout_ms", 700), "wall_time"},
        {"let i = 0; while (true) { i++ }", Map.of("profile", "spin"), "cpu_time"},
        {"let n = 0; for (;;) { n++ }", Map.of("profile", "count"), "statements"}};
    for (Object[] runaway : runaways) {
      @SuppressWarnings("unchecked")
      JsonNode limited = client.call(POLLUTE + runaway[0], (Map<String, Object>) runaway[1]);
      assertEquals("limit", limited.at("/structuredContent/status").asText(), limited.toString());
      assertEquals(runaway[2], limited.at("/structuredContent/limit").asText(), limited.toString());
      JsonNode next = client.call(CHECK, Map.of());
      assertEquals(CLEAN, next.at("/structuredContent/result").toString(), "state leaked after " + runaway[2]);
    }
    assertEquals(workers, workerJvms(processes), "a worker JVM was replaced after a time or statement limit");
  }

  /** The pool's worker JVMs once it is full. */
  private static Set<Long> steadyWorkers(Supplier<Stream<ProcessHandle>> processes) throws InterruptedException {
    Set<Long> last = Set.of();
    for (int i = 0; i < 600; i++) {
      Set<Long> now = workerJvms(processes);
      if (now.size() == 2 && now.equals(last)) {
        return now;
      }
      last = now;
      Thread.sleep(500);
    }
    throw new AssertionError("the pool never settled at 2 worker JVMs: " + last);
  }

  private static Set<Long> workerJvms(Supplier<Stream<ProcessHandle>> processes) {
    return WorkerJvms.taking(processes.get());
  }
}
