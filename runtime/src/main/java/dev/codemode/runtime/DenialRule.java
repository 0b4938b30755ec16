package dev.codemode.runtime;

import java.util.Locale;

/**
 * Which kind of rule denied a request: a stable, machine-readable id ({@code fs.deny_glob},
 * {@code net.exfil_list}, …) that decisions such as quarantine triggers match on, never the reason text.
 */
public enum DenialRule {
  FS_DENY_GLOB, FS_MOUNT, FS_READ_ONLY, FS_LIMIT, FS_INVALID_PATH,
  NET_DISABLED, NET_EXFIL_LIST, NET_RULE, NET_ADDRESS, NET_REQUEST, NET_BUDGET,
  TOOL_NOT_ALLOWED, TOOL_UNKNOWN, TOOL_NOT_APPROVED;

  /** What was asked for: {@code fs}, {@code net} or {@code tool}. */
  public String kind() {
    return name().substring(0, name().indexOf('_')).toLowerCase(Locale.ROOT);
  }

  /** The id, e.g. {@code fs.deny_glob}. */
  public String id() {
    return kind() + "." + name().substring(name().indexOf('_') + 1).toLowerCase(Locale.ROOT);
  }
}
