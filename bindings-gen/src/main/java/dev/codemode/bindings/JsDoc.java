package dev.codemode.bindings;

import java.util.ArrayList;
import java.util.List;

/** Builds a JSDoc block from untrusted text lines, sanitized by {@link JsText#commentText}. */
final class JsDoc {

  /** Longest text kept from a single description; longer ones end with an ellipsis. */
  static final int MAX_TEXT = 4000;

  private final List<String> lines = new ArrayList<>();

  /** Adds free text (may span lines); blank input adds nothing. */
  JsDoc text(String text) {
    if (text == null || text.isBlank()) {
      return this;
    }
    String safe = JsText.commentText(truncate(text.strip()));
    for (String line : safe.split("\n", -1)) {
      String trimmed = line.stripTrailing();
      // A line-leading @ would start a JSDoc tag: untrusted text must not add tags.
      lines.add(trimmed.stripLeading().startsWith("@") ? "\\" + trimmed.stripLeading() : trimmed);
    }
    return this;
  }

  /** Adds an empty separator line if something came before. */
  JsDoc gap() {
    if (!lines.isEmpty() && !lines.get(lines.size() - 1).isEmpty()) {
      lines.add("");
    }
    return this;
  }

  /** Adds {@code @tag value}; the value is sanitized and kept to one line. */
  JsDoc tag(String tag, String value) {
    String safe = JsText.commentText(truncate(value)).replace('\n', ' ');
    lines.add(("@" + tag + " " + safe).stripTrailing());
    return this;
  }

  boolean isEmpty() {
    return lines.isEmpty();
  }

  /** The comment, each line prefixed with {@code indent}, ending with a newline; empty if no lines. */
  String render(String indent) {
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    if (lines.isEmpty()) {
      return "";
    }
    if (lines.size() == 1) {
      return indent + "/** " + lines.get(0) + " */\n";
    }
    StringBuilder out = new StringBuilder(indent).append("/**\n");
    for (String line : lines) {
      out.append(indent).append(line.isEmpty() ? " *" : " * " + line).append('\n');
    }
    return out.append(indent).append(" */\n").toString();
  }

  private static String truncate(String text) {
    if (text.length() <= MAX_TEXT) {
      return text;
    }
    int end = MAX_TEXT;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }
}
