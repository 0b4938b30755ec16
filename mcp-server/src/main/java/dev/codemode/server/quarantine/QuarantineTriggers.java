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

  /** Whether {@code r} trips {@code trigger}, configured or not (the metrics count exfil-list hits always). */
  public static boolean trips(String trigger, RunResult r) {
    return switch (trigger) {
      case "fs_deny_glob" -> any(r, "fs", d -> d.reason().startsWith("deny_globs"));
      case "exfil_list" -> any(r, "net", d -> d.reason().contains("built-in exfiltration deny rule"));
      case "net_denied" -> any(r, "net", d -> true);
      case "tool_denied" -> any(r, "tool", d -> true);
      case "limit" -> r.limit() != null;
      default -> trigger.startsWith("limit:") && r.limit() != null && r.limit().kind().wireName().equals(trigger.substring(6));
    };
  }

  private static boolean any(RunResult r, String kind, java.util.function.Predicate<Denial> test) {
    return r.denials().stream().anyMatch(d -> d.kind().equals(kind) && test.test(d));
  }
}
