package dev.codemode.server.tool;

import java.util.List;
import java.util.Map;

/**
 * The validated arguments of one {@code execute_code} call.
 *
 * @param profile the requested profile, or null for {@code default}
 * @param allowedTools tool patterns that narrow the profile's allowlist for this call, or null
 * @param timeoutMs a tighter wall budget, or null
 */
public record ExecuteCodeInput(String code, String profile, List<String> allowedTools, Long timeoutMs) {
  /** Largest accepted code, in characters. */
  public static final int MAX_CODE_CHARS = 1 << 20;

  /** Reads and checks the raw arguments; the exception message says what is wrong. */
  public static ExecuteCodeInput from(Map<String, Object> args) {
    if (args == null) {
      throw new IllegalArgumentException("missing arguments: 'code' is required");
    }
    for (String key : args.keySet()) {
      if (!List.of("code", "profile", "allowed_tools", "timeout_ms").contains(key)) {
        throw new IllegalArgumentException("unknown argument '" + key + "' (allowed: code, profile, allowed_tools, timeout_ms)");
      }
    }
    if (!(args.get("code") instanceof String code)) {
      throw new IllegalArgumentException("'code' is required and must be a string of JavaScript");
    }
    if (code.length() > MAX_CODE_CHARS) {
      throw new IllegalArgumentException("'code' is longer than " + MAX_CODE_CHARS + " characters");
    }
    Object profile = args.get("profile");
    if (profile != null && !(profile instanceof String)) {
      throw new IllegalArgumentException("'profile' must be a string");
    }
    List<String> allowed = null;
    Object at = args.get("allowed_tools");
    if (at != null) {
      if (!(at instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
        throw new IllegalArgumentException("'allowed_tools' must be a list of 'server.tool' patterns");
      }
      allowed = list.stream().map(String.class::cast).toList();
    }
    Long timeout = null;
    Object t = args.get("timeout_ms");
    if (t != null) {
      if (!(t instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 1) {
        throw new IllegalArgumentException("'timeout_ms' must be a positive whole number of milliseconds");
      }
      timeout = n.longValue();
    }
    return new ExecuteCodeInput(code, (String) profile, allowed, timeout);
  }
}
