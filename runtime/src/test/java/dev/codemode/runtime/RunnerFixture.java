package dev.codemode.runtime;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One shared runner per test class, as the server has one per process. */
abstract class RunnerFixture {
  static SandboxRunner runner;

  @BeforeAll
  static void startRunner() {
    runner = SandboxRunner.builder().maxConcurrentRuns(2).build();
  }

  @AfterAll
  static void stopRunner() {
    runner.close();
  }

  static RunResult run(String code) {
    return runner.run(TestRuns.request(code));
  }
}
