package dev.codemode.bindings;

import java.util.regex.Pattern;

/** Escaping of untrusted text into JavaScript/TypeScript string literals, property keys and comments. */
final class JsText {

  private static final Pattern ASCII_IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private JsText() {}

  /**
   * A single-quoted JS string literal containing only printable ASCII: quotes, backslashes, control
   * characters, {@code <} and {@code >} (no {@code </script>}), U+2028/2029 and all other non-ASCII
   * UTF-16 units (including lone surrogates) are written as escapes.
   */
  static String singleQuoted(String value) {
    return quote(value, '\'');
  }

  /** A double-quoted literal with the same escaping as {@link #singleQuoted}; valid JSON and TS. */
  static String doubleQuoted(String value) {
    return quote(value, '"');
  }

  /** An object-type property key: bare when a plain ASCII identifier, else double-quoted. */
  static String propertyKey(String key) {
    return ASCII_IDENTIFIER.matcher(key).matches() ? key : doubleQuoted(key);
  }

  /**
   * Text made safe inside a block comment: {@code *}{@code /} becomes {@code *\/}, line breaks
   * (CR, LF, U+2028/2029) become {@code \n}, other control characters and lone surrogates become
   * U+FFFD. Visible non-ASCII text is kept.
   */
  static String commentText(String value) {
    String lines = value.replace("\r\n", "\n").replace('\r', '\n')
        .replace('\u2028', '\n').replace('\u2029', '\n');
    StringBuilder out = new StringBuilder(lines.length());
    for (int i = 0; i < lines.length(); i++) {
      char c = lines.charAt(i);
      if (c == '/' && i > 0 && lines.charAt(i - 1) == '*') {
        out.append("\\/");
      } else if (c == '\n' || c == '\t') {
        out.append(c);
      } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        out.append('\uFFFD');
      } else if (Character.isHighSurrogate(c) && i + 1 < lines.length()
          && Character.isLowSurrogate(lines.charAt(i + 1))) {
        out.append(c).append(lines.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String quote(String value, char quote) {
    StringBuilder out = new StringBuilder(value.length() + 2).append(quote);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\'', '"' -> {
          if (c == quote) {
            out.append('\\');
          }
          out.append(c);
        }
        default -> {
          if (c < 0x20 || c >= 0x7f || c == '<' || c == '>') {
            out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15])
                .append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append(quote).toString();
  }
}
