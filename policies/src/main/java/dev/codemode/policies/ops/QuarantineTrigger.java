package dev.codemode.policies.ops;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code quarantine.triggers} entry, compiled: what a finished run must show to be quarantined.
 *
 * @param type the kind of trigger
 * @param limitKind for {@link Type#LIMIT}, the one limit that counts ({@code memory}, …), or null for any
 */
public record QuarantineTrigger(Type type, String limitKind) {
  private static final Set<String> LIMIT_KINDS =
      Set.of("wall_time", "cpu_time", "host_time", "memory", "statements", "stack", "ast_depth", "output", "timers");

  /** The kinds of trigger, by their configuration names. */
  public enum Type {
    FS_DENY_GLOB("fs_deny_glob"), EXFIL_LIST("exfil_list"), NET_DENIED("net_denied"), TOOL_DENIED("tool_denied"),
    LIMIT("limit");

    private final String wireName;

    Type(String wireName) {
      this.wireName = wireName;
    }
  }

  /** The trigger spelled {@code text} ({@code limit:<kind>} names one limit), if it is one. */
  public static Optional<QuarantineTrigger> parse(String text) {
    if (text != null && text.startsWith("limit:")) {
      String kind = text.substring("limit:".length());
      return LIMIT_KINDS.contains(kind) ? Optional.of(new QuarantineTrigger(Type.LIMIT, kind)) : Optional.empty();
    }
    return Arrays.stream(Type.values()).filter(t -> t.wireName.equals(text)).findFirst()
        .map(t -> new QuarantineTrigger(t, null));
  }

  /** The configuration's spelling, e.g. {@code exfil_list} or {@code limit:memory}. */
  public String wireName() {
    return type.wireName + (limitKind == null ? "" : ":" + limitKind);
  }
}
