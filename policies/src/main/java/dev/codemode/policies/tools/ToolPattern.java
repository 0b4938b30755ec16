package dev.codemode.policies.tools;

import dev.codemode.policies.Printable;
import dev.codemode.policies.Wildcard;

/**
 * A {@code server.tool} pattern for {@code tools.allow} and {@code allowed_tools}.
 *
 * <p>The pattern is split at its FIRST dot: server names cannot contain dots (they are
 * {@code [A-Za-z0-9_-]+}), while downstream tool names may ({@code fs.read.file} is server {@code fs},
 * tool {@code read.file}). Each side is matched exactly and case-sensitively, except that {@code *}
 * matches any run of characters within that side (so in the tool side it also spans dots, the tool name
 * being one segment): {@code everything.*}, {@code *.read_graph}, {@code github.get_*}. {@code **},
 * empty sides, a missing dot and characters outside {@code [A-Za-z0-9_.\-/]} are refused.
 */
public final class ToolPattern {
  private final String text;
  private final String server;
  private final String tool;

  private ToolPattern(String text, String server, String tool) {
    this.text = text;
    this.server = server;
    this.tool = tool;
  }

  /**
   * Parses {@code pattern}.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static ToolPattern parse(String pattern) {
    if (pattern == null || pattern.isEmpty()) {
      throw new IllegalArgumentException("empty tool pattern (expected 'server.tool')");
    }
    int dot = pattern.indexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException("tool pattern '" + Printable.of(pattern) + "' has no '.' (expected 'server.tool')");
    }
    String server = pattern.substring(0, dot);
    String tool = pattern.substring(dot + 1);
    if (server.isEmpty() || tool.isEmpty()) {
      throw new IllegalArgumentException("tool pattern '" + Printable.of(pattern) + "' has an empty server or tool part");
    }
    check(pattern, server, false);
    check(pattern, tool, true);
    return new ToolPattern(pattern, server, tool);
  }

  private static void check(String pattern, String part, boolean toolPart) {
    if (part.contains("**")) {
      throw new IllegalArgumentException("tool pattern '" + Printable.of(pattern) + "': '**' is not supported ('*' already spans the part)");
    }
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
          || c == '*' || (toolPart && (c == '.' || c == '/'));
      if (!ok) {
        throw new IllegalArgumentException("tool pattern '" + Printable.of(pattern) + "' contains '" + Printable.of(String.valueOf(c))
            + "' (server names are [A-Za-z0-9_-], tool names [A-Za-z0-9_.-/], '*' matches within a part)");
      }
    }
  }

  /** Whether this pattern names {@code tool} of {@code server}. */
  public boolean matches(String server, String tool) {
    if (server == null || tool == null || server.isEmpty() || tool.isEmpty() || server.indexOf('.') >= 0) {
      return false;
    }
    return Wildcard.matches(this.server, server) && Wildcard.matches(this.tool, tool);
  }

  /** The pattern as written. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
