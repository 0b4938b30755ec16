package dev.codemode.server.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.HttpSettings.RateLimit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  @Test
  void aBucketPerPrincipalRefillsAtItsRate() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(new RateLimit(60, 2), now::get);
    assertTrue(limiter.tryAcquire("a").isEmpty());
    assertTrue(limiter.tryAcquire("a").isEmpty());
    assertEquals(1, limiter.tryAcquire("a").getAsLong(), "one call a second: retry after 1 s");
    assertTrue(limiter.tryAcquire("b").isEmpty(), "another principal has its own bucket");
    now.addAndGet(1_000_000_000L);
    assertTrue(limiter.tryAcquire("a").isEmpty());
    assertTrue(limiter.tryAcquire("a").isPresent());
    now.addAndGet(3_600_000_000_000L);
    assertTrue(limiter.tryAcquire("a").isEmpty());
    assertTrue(limiter.tryAcquire("a").isEmpty());
    assertTrue(limiter.tryAcquire("a").isPresent(), "refill stops at the burst size");
  }

  @Test
  void zeroPerMinuteTurnsItOff() {
    RateLimiter off = new RateLimiter(new RateLimit(0, 1));
    for (int i = 0; i < 100; i++) {
      assertTrue(off.tryAcquire("a").isEmpty());
    }
  }

  @Test
  void theGateAdmitsSlotsPlusQueueAndNoMore() {
    AdmissionGate gate = new AdmissionGate(2, 4);
    AdmissionGate.Ticket[] tickets = new AdmissionGate.Ticket[6];
    for (int i = 0; i < 6; i++) {
      tickets[i] = gate.tryEnter();
      assertNotNull(tickets[i]);
    }
    assertNull(gate.tryEnter());
    long retry = gate.retryAfterSeconds();
    assertTrue(retry >= 1 && retry <= 60, "retry " + retry);
    tickets[0].close();
    tickets[0].close();
    assertEquals(5, gate.inFlight(), "closing twice releases once");
    assertNotNull(gate.tryEnter());
    assertNull(gate.tryEnter());
  }
}
