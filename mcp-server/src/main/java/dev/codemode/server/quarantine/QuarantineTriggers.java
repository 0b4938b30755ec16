package dev.codemode.server.quarantine;

import dev.codemode.policies.ops.QuarantineTrigger;
import dev.codemode.runtime.DenialRule;
import dev.codemode.runtime.RunResult;
import java.util.List;

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

  /** Whether {@code r} trips {@code trigger}, configured or not (the metrics count exfil-list hits always). */
  public static boolean trips(QuarantineTrigger trigger, RunResult r) {
    return switch (trigger.type()) {
      case FS_DENY_GLOB -> r.denials().stream().anyMatch(d -> d.rule() == DenialRule.FS_DENY_GLOB);
      case EXFIL_LIST -> r.denials().stream().anyMatch(d -> d.rule() == DenialRule.NET_EXFIL_LIST);
      case NET_DENIED -> r.denials().stream().anyMatch(d -> d.kind().equals("net"));
      case TOOL_DENIED -> r.denials().stream().anyMatch(d -> d.kind().equals("tool"));
      case LIMIT -> r.limit() != null && (trigger.limitKind() == null || r.limit().kind().wireName().equals(trigger.limitKind()));
    };
  }
}
