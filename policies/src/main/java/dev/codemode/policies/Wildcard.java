package dev.codemode.policies;

/** Matches one segment against a pattern where {@code *} matches any run of characters and all else matches itself. */
public final class Wildcard {
  private Wildcard() {}

  /** Whether {@code text} matches {@code glob}; iterative with one backtrack point, linear enough for short segments. */
  public static boolean matches(String glob, String text) {
    int gi = 0;
    int si = 0;
    int star = -1;
    int mark = 0;
    while (si < text.length()) {
      if (gi < glob.length() && glob.charAt(gi) != '*' && glob.charAt(gi) == text.charAt(si)) {
        gi++;
        si++;
      } else if (gi < glob.length() && glob.charAt(gi) == '*') {
        star = gi++;
        mark = si;
      } else if (star >= 0) {
        gi = star + 1;
        si = ++mark;
      } else {
        return false;
      }
    }
    while (gi < glob.length() && glob.charAt(gi) == '*') {
      gi++;
    }
    return gi == glob.length();
  }
}
