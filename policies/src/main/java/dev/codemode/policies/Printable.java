package dev.codemode.policies;

/**
 * Untrusted text (a path, a URL, a host, a tool name, an error message) made safe to quote in a message,
 * a denial reason or a log line: control characters (C0, DEL, C1), the line and paragraph separators and
 * the bidirectional controls become {@code \}{@code uXXXX}, so quoted text can neither break a line nor
 * reorder what a reader sees; long text is cut with {@code ...}.
 */
public final class Printable {
  /** The cap of {@link #of(String)}: enough for any path or name worth reading in full. */
  public static final int MAX_CHARS = 256;

  private Printable() {}

  /** {@code s} escaped and cut at {@link #MAX_CHARS} characters; {@code "null"} for null. */
  public static String of(String s) {
    return of(s, MAX_CHARS);
  }

  /** {@code s} escaped and cut at {@code maxChars} characters of input; {@code "null"} for null. */
  public static String of(String s, int maxChars) {
    if (s == null) {
      return "null";
    }
    int end = Math.min(s.length(), maxChars);
    int i = 0;
    while (i < end && !needsEscape(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder out = new StringBuilder(end + 16).append(s, 0, i);
    for (; i < end; i++) {
      char c = s.charAt(i);
      if (needsEscape(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return s.length() > maxChars ? out.append("...").toString() : out.toString();
  }

  private static boolean needsEscape(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f)
        || c == '\u061c' || c == '\u200e' || c == '\u200f'
        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
        || c == '\u2028' || c == '\u2029';
  }
}
