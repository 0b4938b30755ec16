package dev.codemode.policies.ops;

import java.util.List;

/**
 * Where runs that trip a trigger are kept for review, and which triggers count.
 *
 * @param dir the quarantine folder (absolute)
 * @param triggers {@code fs_deny_glob}, {@code exfil_list}, {@code net_denied}, {@code tool_denied},
 *     {@code limit} (any) or {@code limit:<kind>} (e.g. {@code limit:memory})
 * @param maxBundleBytes the size of one bundle at most (its audit lines are cut to fit, with a count)
 * @param maxTotalBytes the size of the quarantine folder at most: the oldest bundles go first
 * @param retentionDays age after which a bundle is removed
 */
public record QuarantineSettings(String dir, List<QuarantineTrigger> triggers, long maxBundleBytes, long maxTotalBytes,
    long retentionDays) {
  public QuarantineSettings {
    triggers = List.copyOf(triggers);
  }
}
