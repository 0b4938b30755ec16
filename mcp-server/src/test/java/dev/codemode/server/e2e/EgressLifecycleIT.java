package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run's egress ends with the run, through the real server process (Streamable HTTP, TypeScript SDK
 * client) in worker (default isolation) and in-process mode: no request of a run reaches a local listener
 * after the run's answer, every request that reached it is in the answer's {@code egress}, and a flood of
 * fetches does not grow the server's threads.
 */
class EgressLifecycleIT {
  private static final long LISTENER_DELAY_MS = 400;
  /** Time given to late requests to show up at the listener after the answer. */
  private static final long STRAGGLER_WAIT_MS = 2_500;
  private static ArrivalListener listener;
  private static TsClient client;
  private static final Map<String, ServerProcess> servers = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    listener = new ArrivalListener(LISTENER_DELAY_MS);
    client = TsClient.start();
    Path root = Files.createTempDirectory("codemode-egress-lifecycle").toRealPath();
    for (String mode : new String[] {"worker", "in-process"}) {
      String runtime = mode.equals("in-process") ? "runtime: {isolation: in-process}\n" : "";
      Path config = Files.writeString(root.resolve(mode + ".yaml"), runtime + """
          profiles:
            default:
              net:
                enabled: true
                allow: [{host: test.local, schemes: [http], ports: [%1$d], methods: [GET], allow_private: true}]
                resolve: {test.local: 127.0.0.1}
                max_requests: 100000
                rate_per_second: 10
            flood:
              net: {rate_per_second: 100000}
            hostbound:
              proc: {cpu_ms: 25000, host_ms: 300}
              net: {rate_per_second: 100000, max_response_bytes: 4194304}
          """.formatted(listener.port()));
      ServerProcess server = ServerProcess.start(config);
      servers.put(mode, server);
      client.connectHttp(mode, server.url(), Map.of());
      if (mode.equals("worker")) {
        client.connectStdio("--config", config.toString()); // the transport whose clients can cancel a call
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    for (ServerProcess s : servers.values()) {
      s.close();
    }
    if (listener != null) {
      listener.close();
    }
  }

  private static String url(int i) {
    return "http://test.local:" + listener.port() + "/r" + i;
  }

  /** Runs {@code code} as client {@code mode}; answers the structured result and the time the answer arrived. */
  private static Answer run(String mode, String code, Map<String, Object> extra) throws Exception {
    JsonNode answer = TsClient.value(client.executeAs(mode, code, extra).get(120, TimeUnit.SECONDS));
    return new Answer(answer.get("structuredContent"), System.nanoTime());
  }

  private record Answer(JsonNode result, long receivedNanos) {}

  /** No arrival after the answer, and every arrival during the run is one of the answer's egress entries that left. */
  private static void assertEgressEndedWithTheRun(Answer a, int arrivalsBefore, int fetches) throws Exception {
    Thread.sleep(STRAGGLER_WAIT_MS);
    long late = listener.arrivedAfter(a.receivedNanos());
    int arrived = listener.arrivals().size() - arrivalsBefore;
    JsonNode egress = a.result().get("egress");
    long left = 0;
    long notSent = 0;
    for (JsonNode e : egress) {
      String outcome = e.get("outcome").asText();
      if (outcome.startsWith("cancelled: the run ended before")) {
        notSent++;
      } else {
        left++;
      }
    }
    assertEquals(0, late, late + " requests reached the listener after the answer: " + a.result());
    assertTrue(arrived <= left, arrived + " requests reached the listener but the answer lists " + left + " that left: "
        + egress);
    assertEquals(fetches, left + notSent, "every fetch of the run is in its egress: " + egress);
  }

  /** Fires 40 fetches to path {@code /r<n>}, then runs {@code ending}; answers the run's answer after checking its status. */
  private static Answer fortyFetchesThen(String mode, int n, String ending, Map<String, Object> extra, String status)
      throws Exception {
    int before = listener.arrivals().size();
    Answer a = run(mode, "for (let i = 0; i < 40; i++) fetch('" + url(n) + "?' + i).catch(() => {});\n" + ending, extra);
    assertEquals(status, a.result().get("status").asText(), a.result().toString());
    assertEgressEndedWithTheRun(a, before, 40);
    return a;
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker", "in-process"})
  void fetchesFiredByARunThatReturnsAtOnceEndWithItsAnswer(String mode) throws Exception {
    fortyFetchesThen(mode, 0, "return 'fired'", Map.of(), "ok");
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker", "in-process"})
  void fetchesPendingWhenTheWallLimitEndsARunEndWithItsAnswer(String mode) throws Exception {
    Answer a = fortyFetchesThen(mode, 1, "await new Promise(r => Promise.resolve().then(r));\nwhile (true) {}",
        Map.of("timeout_ms", 1500), "limit");
    assertEquals("wall_time", a.result().get("limit").asText(), a.result().toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker", "in-process"})
  void fetchesFiredByARunThatThrowsEndWithItsAnswer(String mode) throws Exception {
    fortyFetchesThen(mode, 4, "throw new Error('gave up')", Map.of(), "error");
  }

  @org.junit.jupiter.api.Test
  void fetchesOfARunTheClientCancelsStopWithTheRun() throws Exception {
    CompletableFuture<JsonNode> call = client.executeRaw("for (let i = 0; i < 40; i++) fetch('" + url(5) + "?' + i).catch(() => {});\n"
        + "while (true) {}", Map.of("progressToken", "cancel-egress"), 700);
    JsonNode answer = call.get(30, TimeUnit.SECONDS);
    long cancelledAt = System.nanoTime();
    assertTrue(!answer.path("ok").asBoolean(), "the client gave up on the request: " + answer);
    int at = listener.arrivals().size();
    Thread.sleep(STRAGGLER_WAIT_MS);
    // The rate (10/s) would send the 40 fetches over 4 s; after the cancel has reached the run, none may leave.
    long late = listener.arrivedAfter(cancelledAt + TimeUnit.MILLISECONDS.toNanos(1000));
    assertEquals(0, late, late + " requests reached the listener more than a second after the cancel (" + at + " by then)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker", "in-process"})
  void theHostsWorkForARunsFetchesEndsItWithTheHostTimeLimit(String mode) throws Exception {
    JsonNode s = run(mode, "let bytes = 0;\n"
        + "for (let i = 0; i < 2000; i++) { const r = await fetch('" + "http://test.local:" + listener.port()
        + "/big?' + i); bytes += (await r.text()).length }\nreturn bytes", Map.of("profile", "hostbound")).result();
    assertEquals("limit", s.get("status").asText(), s.toString());
    assertEquals("host_time", s.get("limit").asText(), s.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker"})
  void theHostsWorkServingAWorkersFilesEndsItWithTheHostTimeLimit(String mode) throws Exception {
    JsonNode s = run(mode, "await fs.writeFile('/workspace/big.txt', 'x'.repeat(1 << 20));\n"
        + "let bytes = 0;\nfor (let i = 0; i < 20000; i++) bytes += (await fs.readFile('/workspace/big.txt', 'utf8')).length;\n"
        + "return bytes", Map.of("profile", "hostbound")).result();
    assertEquals("limit", s.get("status").asText(), s.toString());
    assertEquals("host_time", s.get("limit").asText(), s.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker", "in-process"})
  void aFloodOfFetchesDoesNotGrowTheServersThreads(String mode) throws Exception {
    ServerProcess server = servers.get(mode);
    run(mode, "await fetch('" + url(2) + "'); return 1", Map.of("profile", "flood"));
    Thread.sleep(500);
    int idle = server.threads();
    CompletableFuture<JsonNode> flood = client.executeAs(mode, "const all = [];\n"
        + "for (let i = 0; i < 3000; i++) all.push(fetch('" + url(3) + "?' + i).catch(e => e.message));\n"
        + "await Promise.all(all); return 'done'", Map.of("profile", "flood", "timeout_ms", 5000));
    int most = idle;
    while (!flood.isDone()) {
      most = Math.max(most, server.threads());
      Thread.sleep(20);
    }
    JsonNode s = TsClient.value(flood.get()).get("structuredContent");
    System.out.println("fetch flood (" + mode + "): server threads idle " + idle + ", at most " + most + " during 3000 fetches");
    assertTrue(most <= idle + 100, "the server went from " + idle + " to " + most + " threads during a flood of 3000 fetches");
    assertEquals("limit", s.get("status").asText(), "the flood ran into its wall limit: " + s.get("status"));
    JsonNode again = run(mode, "return 2", Map.of()).result();
    assertEquals("ok", again.get("status").asText(), "the server answers the next call: " + again);
  }
}
