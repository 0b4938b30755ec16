package dev.codemode.server.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.EgressRuleSpec;
import dev.codemode.policies.NetPolicy;
import dev.codemode.runtime.EgressRecord;
import dev.codemode.runtime.HostBudget;
import dev.codemode.runtime.RunJournal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One run's egress on the shared threads: bounded in flight, waits without threads, everything ended by close. */
class RunEgressTest {
  private static final String API = "api.test.example";
  private LocalServers.Recording server;
  private EgressThreads threads;
  private final RunJournal journal = new RunJournal();

  @BeforeEach
  void start() throws Exception {
    server = new LocalServers.Recording();
    server.route("/slow", ex -> {
      try {
        Thread.sleep(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      LocalServers.respond(ex, 200, "late");
    });
    threads = new EgressThreads(EgressThreads.NETWORK_THREADS);
  }

  @AfterEach
  void stop() throws Exception {
    threads.close();
    server.close();
  }

  private EgressProxy proxy(double rate) {
    EgressRuleSpec rule = new EgressRuleSpec(API, List.of("http"), List.of(server.port()), List.of("GET"), List.of(), true, null);
    return EgressProxy.build(new NetPolicy(true, List.of(rule), List.of(), Map.of(API, "127.0.0.1"), 1000, 1 << 20,
        1 << 20, 30_000, rate), new dev.codemode.server.Secrets(Map.of()));
  }

  private List<CompletableFuture<FetchResponse>> fire(RunEgress run, int n) {
    List<CompletableFuture<FetchResponse>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(run.fetch(new FetchRequest("http://" + API + ":" + server.port() + "/slow?" + i, "GET", Map.of(), null),
          journal, HostBudget.unlimited()));
    }
    return all;
  }

  private long outcomes(String prefix) {
    return journal.egress().stream().map(EgressRecord::outcome).filter(o -> o.startsWith(prefix)).count();
  }

  @Test
  void aRunHasAtMostItsSlotsInFlightAndCloseEndsQueuedAndInFlightRequestsBeforeItReturns() throws Exception {
    RunEgress run = proxy(0).openRun(threads);
    List<CompletableFuture<FetchResponse>> all = fire(run, 40);
    while (server.seen.size() < RunEgress.MAX_IN_FLIGHT) {
      Thread.sleep(10);
    }
    Thread.sleep(300);
    assertEquals(RunEgress.MAX_IN_FLIGHT, server.seen.size(), "the rest wait in the run's queue");
    run.close();
    assertTrue(all.stream().allMatch(CompletableFuture::isCompletedExceptionally), "every fetch ended with the run");
    assertEquals(RunEgress.MAX_IN_FLIGHT, outcomes("cancelled: the run ended while the request was in flight"), journal.egress().toString());
    assertEquals(40 - RunEgress.MAX_IN_FLIGHT, outcomes("cancelled: the run ended before it was sent"), journal.egress().toString());
    Thread.sleep(300);
    assertEquals(RunEgress.MAX_IN_FLIGHT, server.seen.size(), "nothing of the run reached the server after close");
  }

  @Test
  void requestsWaitingForRateTokensHoldNoThreadAndEndWithTheRun() throws Exception {
    RunEgress run = proxy(1).openRun(threads);
    List<CompletableFuture<FetchResponse>> all = fire(run, 10); // one now, nine waiting up to nine seconds
    while (server.seen.isEmpty()) {
      Thread.sleep(10);
    }
    Thread.sleep(200);
    assertEquals(1, ((java.util.concurrent.ThreadPoolExecutor) threads.network()).getActiveCount(),
        "only the request on the wire holds a thread; the nine waiting for a token hold none");
    run.close();
    assertTrue(all.stream().allMatch(CompletableFuture::isCompletedExceptionally));
    assertEquals(9, outcomes("cancelled: the run ended before it was sent"), journal.egress().toString());
    Thread.sleep(1500);
    assertEquals(1, server.seen.size(), "no waiting request left after close");
  }

  @Test
  void aClosedRunSendsNothing() throws Exception {
    RunEgress run = proxy(0).openRun(threads);
    run.close();
    List<CompletableFuture<FetchResponse>> all = fire(run, 3);
    assertTrue(all.stream().allMatch(CompletableFuture::isCompletedExceptionally));
    Thread.sleep(200);
    assertEquals(0, server.seen.size());
  }

  @Test
  void aRunWhoseRequestsWaitForASharedThreadEndsThemAsNotSentAtOnce() throws Exception {
    threads.close();
    threads = new EgressThreads(RunEgress.MAX_IN_FLIGHT);
    RunJournal otherJournal = new RunJournal();
    RunEgress other = proxy(0).openRun(threads);
    for (int i = 0; i < RunEgress.MAX_IN_FLIGHT; i++) {
      other.fetch(new FetchRequest("http://" + API + ":" + server.port() + "/slow?other" + i, "GET", Map.of(), null),
          otherJournal, HostBudget.unlimited());
    }
    while (server.seen.size() < RunEgress.MAX_IN_FLIGHT) {
      Thread.sleep(10);
    }
    RunEgress run = proxy(0).openRun(threads);
    List<CompletableFuture<FetchResponse>> all = fire(run, 10); // six handed to the busy pool, four in the run's queue
    long start = System.nanoTime();
    run.close();
    long closeMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(all.stream().allMatch(CompletableFuture::isCompletedExceptionally), "every fetch ended with the run");
    assertEquals(10, outcomes("cancelled: the run ended before it was sent"), journal.egress().toString());
    assertTrue(closeMs < 1000, "close waited " + closeMs + " ms for threads its requests never got");
    other.close();
    Thread.sleep(300);
    assertEquals(RunEgress.MAX_IN_FLIGHT, server.seen.size(), "nothing of the closed run reached the server");
  }

  @Test
  void aRequestThatIgnoresTheInterruptEndsAsInFlightWhenTheSettleTimeRunsOut() throws Exception {
    RunEgress run = proxy(0).openRun(threads);
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    CompletableFuture<String> stuck = run.onNetwork(() -> {
      started.countDown();
      long until = System.nanoTime() + 4_000_000_000L;
      while (System.nanoTime() < until) {
        Thread.interrupted(); // like a name lookup, deaf to the interrupt
      }
      return "late";
    }, HostBudget.unlimited());
    started.await();
    long start = System.nanoTime();
    run.close();
    long closeMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(closeMs < 3000, "close waited " + closeMs + " ms");
    java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class, stuck::get);
    assertTrue(e.getCause() instanceof RunEgress.UnsettledAtRunEndException, e.toString());
  }
}
