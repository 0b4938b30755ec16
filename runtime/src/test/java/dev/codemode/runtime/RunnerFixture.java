package dev.codemode.runtime;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One shared runner per test class, as the server has one per process. */
abstract class RunnerFixture {
  static SandboxRunner runner;
  /** The runner {@link #run} uses: {@link #runner}, or one a subclass puts in its place (a JIT worker pool). */
  static Runner under;

  @BeforeAll
  static void startRunner() {
    runner = SandboxRunner.builder().maxConcurrentRuns(2).build();
    under = runner;
  }

  @AfterAll
  static void stopRunner() {
    runner.close();
  }

  static RunResult run(String code) {
    return under.run(TestRuns.request(code));
  }
}
