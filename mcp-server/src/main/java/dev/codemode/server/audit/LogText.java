package dev.codemode.server.audit;

/**
 * The one escaping for text a guest or client chose (paths, URLs, tool names, error messages, code) on its
 * way into a log line or an audit event: control characters (C0, DEL, C1), the line and paragraph
 * separators and the bidirectional controls become {@code \}{@code uXXXX}, so such text cannot forge log
 * lines, hide or reorder what a reader sees in a terminal, or carry terminal escape sequences.
 */
public final class LogText {
  private LogText() {}

  /** {@code text} with every character a log reader could be fooled by written as {@code \}{@code uXXXX}; null stays null. */
  public static String escape(String text) {
    if (text == null) {
      return null;
    }
    int i = 0;
    while (i < text.length() && !needsEscape(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (needsEscape(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean needsEscape(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f)
        || c == '\u061c' || c == '\u200e' || c == '\u200f'
        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
        || c == '\u2028' || c == '\u2029';
  }
}
