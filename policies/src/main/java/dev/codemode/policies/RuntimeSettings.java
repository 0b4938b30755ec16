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
 */
public record RuntimeSettings(
    String isolation, String jail, int maxConcurrentRuns, int queueCapacity, int workerPoolSize, int workerMaxRuns) {}
