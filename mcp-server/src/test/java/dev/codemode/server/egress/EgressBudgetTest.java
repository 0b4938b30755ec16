package dev.codemode.server.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EgressBudgetTest {

  @Test
  void rateLimitRefusesWhenTheNextTokenIsFurtherThanTheTimeout() throws Exception {
    AtomicLong clock = new AtomicLong();
    EgressBudget budget = new EgressBudget(100, 1.0, 10, 10, 100, clock::get);
    budget.reserve();
    EgressLimitException e = assertThrows(EgressLimitException.class, budget::reserve);
    assertEquals("net.rate_per_second", e.limit());
    assertEquals("rate limit: net.rate_per_second allows 1.0 requests per second", e.getMessage());
    clock.addAndGet(1_000_000_000L);
    budget.reserve();
    assertEquals(2, budget.used());
  }

  @Test
  void burstIsTheRateAndShortWaitsAreTakenInTurn() throws Exception {
    AtomicLong clock = new AtomicLong();
    EgressBudget budget = new EgressBudget(100, 20.0, 10, 10, 1000, clock::get);
    for (int i = 0; i < 20; i++) {
      assertEquals(0, budget.reserve(), "the burst of 20 leaves at once");
    }
    // Past the burst each request is told its wait; the next one queues behind it (no thread sleeps).
    assertEquals(50_000_000L, budget.reserve(), 1_000);
    assertEquals(100_000_000L, budget.reserve(), 1_000);
    clock.addAndGet(100_000_000L);
    assertEquals(50_000_000L, budget.reserve(), 1_000);
    assertEquals(23, budget.used());
  }

  @Test
  void aReservationNeverBlocksTheCaller() throws Exception {
    EgressBudget budget = new EgressBudget(100, 1.0, 10, 10, 60_000);
    long start = System.nanoTime();
    budget.reserve();
    long wait = budget.reserve();
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(wait > 900_000_000L, "the second request must wait about a second: " + wait);
    assertTrue(tookMs < 500, "reserve() answered the wait instead of sleeping it: took " + tookMs + " ms");
  }

  @Test
  void zeroRateMeansNoRateLimitButTheCountStillHolds() throws Exception {
    EgressBudget budget = new EgressBudget(3, 0, 10, 10, 1000);
    budget.reserve();
    budget.reserve();
    budget.reserve();
    EgressLimitException e = assertThrows(EgressLimitException.class, budget::reserve);
    assertEquals("net.max_requests", e.limit());
  }

  @Test
  void invalidLimitsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new EgressBudget(-1, 0, 0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new EgressBudget(1, Double.NaN, 0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new EgressBudget(1, -1, 0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new EgressBudget(1, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new EgressBudget(1, 0, -1, 0, 1));
  }
}
