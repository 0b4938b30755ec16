package dev.codemode.server.quarantine;

import dev.codemode.policies.ops.QuarantineTrigger;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.DenialRule;
import dev.codemode.runtime.RunResult;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/** Decides which configured triggers a finished run tripped, from its denials' rule ids and its limit. */
public final class QuarantineTriggers {
  private final List<QuarantineTrigger> triggers;

  public QuarantineTriggers(List<QuarantineTrigger> triggers) {
    this.triggers = List.copyOf(triggers);
  }

  /** The configured triggers {@code r} tripped, by name, in configuration order; empty when none. */
  public List<String> tripped(RunResult r) {
    return triggers.stream().filter(t -> trips(t, r)).map(QuarantineTrigger::wireName).toList();
  }

  /**
   * The denial classes the configured triggers look for, for a run's journal to keep the first of each
   * even past its head ({@link dev.codemode.runtime.RunJournal#watch}).
   */
  public List<Predicate<Denial>> watchedDenials() {
    return triggers.stream().map(QuarantineTriggers::denialClass).filter(Objects::nonNull).toList();
  }

  /** The denials {@code trigger} trips on, or null when it looks at no denial. */
  private static Predicate<Denial> denialClass(QuarantineTrigger trigger) {
    return switch (trigger.type()) {
      case FS_DENY_GLOB -> d -> d.rule() == DenialRule.FS_DENY_GLOB;
      case EXFIL_LIST -> d -> d.rule() == DenialRule.NET_EXFIL_LIST;
      case NET_DENIED -> d -> d.kind().equals("net");
      case TOOL_DENIED -> d -> d.kind().equals("tool");
      case LIMIT -> null;
    };
  }

  /** Whether {@code r} trips {@code trigger}, configured or not (the metrics count exfil-list hits always). */
  public static boolean trips(QuarantineTrigger trigger, RunResult r) {
    Predicate<Denial> denials = denialClass(trigger);
    if (denials != null) {
      return r.denials().stream().anyMatch(denials);
    }
    return r.limit() != null && (trigger.limitKind() == null || r.limit().kind().wireName().equals(trigger.limitKind()));
  }
}
