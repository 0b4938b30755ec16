package dev.codemode.runtime;

/**
 * How many entries of each journal a run's answer leaves out: the journals keep their first entries
 * (see {@link RunJournal}) and count the rest here, exactly.
 */
public record JournalDrops(long denials, long toolCalls, long egress) {
  /** Nothing was left out. */
  public static final JournalDrops NONE = new JournalDrops(0, 0, 0);

  /** Whether any journal left entries out. */
  public boolean any() {
    return denials > 0 || toolCalls > 0 || egress > 0;
  }
}
