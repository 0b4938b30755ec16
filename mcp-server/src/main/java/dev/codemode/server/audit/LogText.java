package dev.codemode.server.audit;

import dev.codemode.policies.Printable;

/**
 * Text a guest or client chose (paths, URLs, tool names, error messages, code) on its way into a log line
 * or an audit event, escaped by {@link Printable} and never cut, so it cannot forge log lines, hide or
 * reorder what a reader sees in a terminal, or carry terminal escape sequences.
 */
public final class LogText {
  private LogText() {}

  /** {@code text} with every character a log reader could be fooled by written as {@code \}{@code uXXXX}; null stays null. */
  public static String escape(String text) {
    return text == null ? null : Printable.of(text, Integer.MAX_VALUE);
  }
}
