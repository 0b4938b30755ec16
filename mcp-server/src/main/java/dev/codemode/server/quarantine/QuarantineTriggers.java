package dev.codemode.server.quarantine;

import dev.codemode.runtime.Denial;
import dev.codemode.runtime.RunResult;
import java.util.ArrayList;
import java.util.List;

/** Decides which configured triggers a finished run tripped. */
public final class QuarantineTriggers {
  private final List<String> triggers;

  public QuarantineTriggers(List<String> triggers) {
    this.triggers = List.copyOf(triggers);
  }

  /** The configured triggers {@code r} tripped, in configuration order; empty when none. */
  public List<String> tripped(RunResult r) {
    List<String> out = new ArrayList<>();
    for (String t : triggers) {
      if (trips(t, r)) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * The denial classes the configured triggers look for, for a run's journal to keep the first of each
   * even past its head ({@link dev.codemode.runtime.RunJournal#watch}).
   */
  public List<java.util.function.Predicate<Denial>> watchedDenials() {
    List<java.util.function.Predicate<Denial>> out = new ArrayList<>();
    for (String t : triggers) {
      java.util.function.Predicate<Denial> p = denialClass(t);
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  /** The denials trigger {@code trigger} trips on, or null when it looks at no denial. */
  private static java.util.function.Predicate<Denial> denialClass(String trigger) {
    return switch (trigger) {
      case "fs_deny_glob" -> d -> d.kind().equals("fs") && d.reason().startsWith("deny_globs");
      case "exfil_list" -> d -> d.kind().equals("net") && d.reason().contains("built-in exfiltration deny rule");
      case "net_denied" -> d -> d.kind().equals("net");
      case "tool_denied" -> d -> d.kind().equals("tool");
      default -> null;
    };
  }

  /** Whether {@code r} trips {@code trigger}, configured or not (the metrics count exfil-list hits always). */
  public static boolean trips(String trigger, RunResult r) {
    java.util.function.Predicate<Denial> denials = denialClass(trigger);
    if (denials != null) {
      return r.denials().stream().anyMatch(denials);
    }
    return switch (trigger) {
      case "limit" -> r.limit() != null;
      default -> trigger.startsWith("limit:") && r.limit() != null && r.limit().kind().wireName().equals(trigger.substring(6));
    };
  }
}
