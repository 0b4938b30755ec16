package dev.codemode.policies;

/**
 * How runs are executed.
 *
 * @param isolation {@code process} (jailed worker JVMs) or {@code in-process}
 * @param jail {@code bwrap}, {@code none} or {@code auto}
 * @param maxConcurrentRuns runs executing at once
 * @param queueCapacity runs waiting before new ones are refused as busy
 * @param workerPoolSize pre-warmed worker processes (process isolation)
 * @param workerMaxRuns runs a worker serves before it is recycled
 * @param oneShot one run and then the end ({@code bin/codemode run}): one worker, started without warm-up,
 *     never replaced, and no class archive trained for workers that will never start
 */
public record RuntimeSettings(String isolation, String jail, int maxConcurrentRuns, int queueCapacity, int workerPoolSize,
    int workerMaxRuns, boolean oneShot) {
  /** Settings for a server that takes runs until it stops. */
  public RuntimeSettings(String isolation, String jail, int maxConcurrentRuns, int queueCapacity, int workerPoolSize,
      int workerMaxRuns) {
    this(isolation, jail, maxConcurrentRuns, queueCapacity, workerPoolSize, workerMaxRuns, false);
  }

  /** The same walls for exactly one run: one run slot, one worker, no queue. */
  public RuntimeSettings forOneRun() {
    return new RuntimeSettings(isolation, jail, 1, 0, 1, 1, true);
  }
}
