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
 */
public record RuntimeSettings(
    Isolation isolation, Jail jail, int maxConcurrentRuns, int queueCapacity, int workerPoolSize, int workerMaxRuns) {

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
