package dev.codemode.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a run did at the boundary: denials, tool calls and egress decisions. Thread-safe; order kept.
 *
 * <p>Bounded, whatever the run does: each journal keeps its first {@link #MAX_ENTRIES} entries while they
 * fit in {@link #MAX_JSON_BYTES} of JSON, with every string clipped to {@link #MAX_FIELD_CHARS}, and counts
 * the entries it leaves out ({@link #drops()}). A denial of a watched class ({@link #watch}) is kept even
 * past the head, the first of each class only, so a flood of other denials cannot hide the one a
 * quarantine trigger looks for.
 */
public final class RunJournal {
  /** Entries kept per journal at most. */
  public static final int MAX_ENTRIES = 100;
  /** JSON bytes of the entries kept per journal at most. */
  public static final int MAX_JSON_BYTES = 8 * 1024;
  /** Characters kept of any one string of an entry (a target, a URL, a reason). */
  public static final int MAX_FIELD_CHARS = 512;
  private static final int ENTRY_OVERHEAD = 48;

  private final Head<Denial> denials = new Head<>();
  private final Head<ToolCallRecord> toolCalls = new Head<>();
  private final Head<EgressRecord> egress = new Head<>();
  private List<Predicate<Denial>> watched = List.of();
  private boolean[] seen = new boolean[0];

  /** The first entries of one journal and the count of the rest. */
  private static final class Head<T> {
    private final List<T> kept = new ArrayList<>();
    private int bytes;
    private boolean full;
    private long dropped;

    /** Keeps {@code entry} while the head has room; once one entry is left out, every later one is too. */
    boolean offer(T entry, int size) {
      if (!full && kept.size() < MAX_ENTRIES && bytes + size <= MAX_JSON_BYTES) {
        kept.add(entry);
        bytes += size;
        return true;
      }
      full = true;
      dropped++;
      return false;
    }

    /** Keeps {@code entry}, which {@link #offer} had counted as dropped. */
    void keepDropped(T entry) {
      kept.add(entry);
      dropped--;
    }
  }

  /**
   * Denial classes to keep the first of even past the head (a run's quarantine triggers); set once,
   * before the run's code runs.
   */
  public synchronized void watch(List<Predicate<Denial>> classes) {
    watched = List.copyOf(classes);
    seen = new boolean[watched.size()];
  }

  public synchronized void deny(Denial denial) {
    Denial d = new Denial(denial.rule(), clip(denial.target()), clip(denial.reason()));
    boolean kept = denials.offer(d, ENTRY_OVERHEAD + JsonBytes.of(d.kind()) + JsonBytes.of(d.target()) + JsonBytes.of(d.reason()));
    for (int i = 0; i < seen.length; i++) {
      if (!seen[i] && watched.get(i).test(denial)) {
        seen[i] = true;
        if (!kept) {
          denials.keepDropped(d);
          kept = true;
        }
      }
    }
  }

  public synchronized void toolCall(ToolCallRecord call) {
    ToolCallRecord c = new ToolCallRecord(clip(call.tool()), call.ok(), call.ms(), call.ran());
    toolCalls.offer(c, ENTRY_OVERHEAD + JsonBytes.of(c.tool()));
  }

  public synchronized void egress(EgressRecord record) {
    EgressRecord e = new EgressRecord(clip(record.method()), clip(record.url()), clip(record.outcome()));
    egress.offer(e, ENTRY_OVERHEAD + JsonBytes.of(e.method()) + JsonBytes.of(e.url()) + JsonBytes.of(e.outcome()));
  }

  /** The kept denials, in order. */
  public synchronized List<Denial> denials() {
    return List.copyOf(denials.kept);
  }

  /** The kept tool calls, in order. */
  public synchronized List<ToolCallRecord> toolCalls() {
    return List.copyOf(toolCalls.kept);
  }

  /** The kept egress decisions, in order. */
  public synchronized List<EgressRecord> egress() {
    return List.copyOf(egress.kept);
  }

  /** How many entries of each journal were left out. */
  public synchronized JournalDrops drops() {
    return new JournalDrops(denials.dropped, toolCalls.dropped, egress.dropped);
  }

  private static String clip(String s) {
    if (s == null || s.length() <= MAX_FIELD_CHARS) {
      return s;
    }
    int end = MAX_FIELD_CHARS;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + "…[" + (s.length() - end) + " more characters]";
  }
}
