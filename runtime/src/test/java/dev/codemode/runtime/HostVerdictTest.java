package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** In process: what the host reports comes from host-side state, and bridge envelopes are the guest's as written. */
class HostVerdictTest extends RunnerFixture {
  @Test
  void theGuestCannotForgeAVerdictOrRewriteItsBridgeCalls() {
    for (GuestForgeryCases.Case c : GuestForgeryCases.all()) {
      RunResult r = run(c.code());
      assertEquals(c.status(), r.status(), c.name() + ": " + r.error() + " " + r.limit());
      assertNull(r.limit(), c.name());
      if (c.result() != null) {
        assertEquals(c.result(), r.result().toString(), c.name());
      }
    }
  }

  @Test
  void aResultReallyOverItsBudgetIsStillALimit() {
    RunResult r = run("return 'x'.repeat(100000)");
    assertEquals(RunStatus.LIMIT, r.status());
    assertEquals(LimitKind.OUTPUT, r.limit().kind());
  }
}
