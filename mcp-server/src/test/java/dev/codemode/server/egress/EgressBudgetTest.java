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
    budget.acquire();
    EgressLimitException e = assertThrows(EgressLimitException.class, budget::acquire);
    assertEquals("net.rate_per_second", e.limit());
    assertEquals("rate limit: net.rate_per_second allows 1.0 requests per second", e.getMessage());
    clock.addAndGet(1_000_000_000L);
    budget.acquire();
    assertEquals(2, budget.used());
  }

  @Test
  void burstIsTheRateAndShortWaitsAreTaken() throws Exception {
    EgressBudget budget = new EgressBudget(100, 20.0, 10, 10, 1000);
    long start = System.nanoTime();
    for (int i = 0; i < 22; i++) {
      budget.acquire();
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms >= 60, "the two requests past the burst of 20 must wait about 50 ms each, took " + ms);
    assertEquals(22, budget.used());
  }

  @Test
  void zeroRateMeansNoRateLimitButTheCountStillHolds() throws Exception {
    EgressBudget budget = new EgressBudget(3, 0, 10, 10, 1000);
    budget.acquire();
    budget.acquire();
    budget.acquire();
    EgressLimitException e = assertThrows(EgressLimitException.class, budget::acquire);
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
