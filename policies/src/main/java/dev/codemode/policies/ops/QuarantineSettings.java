package dev.codemode.policies.ops;

import java.util.List;

/**
 * Where runs that trip a trigger are kept for review, and which triggers count.
 *
 * @param dir the quarantine folder (absolute)
 * @param triggers {@code fs_deny_glob}, {@code exfil_list}, {@code net_denied}, {@code tool_denied},
 *     {@code limit} (any) or {@code limit:<kind>} (e.g. {@code limit:memory})
 */
public record QuarantineSettings(String dir, List<QuarantineTrigger> triggers) {
  public QuarantineSettings {
    triggers = List.copyOf(triggers);
  }
}
