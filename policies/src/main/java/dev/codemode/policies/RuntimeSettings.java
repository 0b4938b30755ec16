package dev.codemode.policies;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How runs are executed.
 *
 * @param isolation jailed worker JVMs, this JVM, or workers falling back to this JVM
 * @param jail the OS jail around worker JVMs
 * @param maxConcurrentRuns runs executing at once
 * @param queueCapacity runs waiting before new ones are refused as busy
 * @param workerPoolSize pre-warmed worker processes (process isolation)
 * @param workerMaxRuns runs a worker serves before it is recycled
 * @param oneShot one run and then the end ({@code bin/codemode run}): one worker, started without warm-up,
 *     never replaced, and no class archive trained for workers that will never start
 * @param jit whether worker JVMs run Truffle's optimizing JIT (a pinned JDK and Graal release) or interpreted
 */
public record RuntimeSettings(Isolation isolation, Jail jail, int maxConcurrentRuns, int queueCapacity,
    int workerPoolSize, int workerMaxRuns, boolean oneShot, Jit jit) {
  /** Settings for a server that takes runs until it stops, workers interpreted. */
  public RuntimeSettings(Isolation isolation, Jail jail, int maxConcurrentRuns, int queueCapacity, int workerPoolSize,
      int workerMaxRuns) {
    this(isolation, jail, maxConcurrentRuns, queueCapacity, workerPoolSize, workerMaxRuns, false, Jit.OFF);
  }

  /** The same walls for exactly one run: one run slot, one worker, no queue. */
  public RuntimeSettings forOneRun() {
    return new RuntimeSettings(isolation, jail, 1, 0, 1, 1, true, jit);
  }

  /** These settings with {@code runtime.jit} set to {@code jit}. */
  public RuntimeSettings withJit(Jit jit) {
    return new RuntimeSettings(isolation, jail, maxConcurrentRuns, queueCapacity, workerPoolSize, workerMaxRuns, oneShot, jit);
  }

  /** {@code runtime.jit}: the optimizing JIT where its JDK is present, required, or never. */
  public enum Jit {
    AUTO, ON, OFF;

    /** The configuration's spelling: {@code auto}, {@code on}, {@code off}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The setting spelled {@code text}, if any. */
    public static Optional<Jit> parse(String text) {
      return Arrays.stream(values()).filter(v -> v.wireName().equals(text)).findFirst();
    }
  }

  /** {@code runtime.isolation}: where agent code runs. */
  public enum Isolation {
    PROCESS, IN_PROCESS, AUTO;

    /** The configuration's spelling: {@code process}, {@code in-process}, {@code auto}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The isolation spelled {@code text}, if any. */
    public static Optional<Isolation> parse(String text) {
      return Arrays.stream(values()).filter(v -> v.wireName().equals(text)).findFirst();
    }
  }

  /** {@code runtime.jail}: bubblewrap required, none, or bubblewrap where it can start. */
  public enum Jail {
    BWRAP, NONE, AUTO;

    /** The configuration's spelling: {@code bwrap}, {@code none}, {@code auto}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The jail spelled {@code text}, if any. */
    public static Optional<Jail> parse(String text) {
      return Arrays.stream(values()).filter(v -> v.wireName().equals(text)).findFirst();
    }
  }
}
