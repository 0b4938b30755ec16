package dev.codemode.runtime;

import java.util.regex.Pattern;

/** Tells an ES module (top-level {@code import}/{@code export}) from an async function body. */
final class CodeShape {
  // A statement-level import or export at the start of a line; `import(` and `import.meta` are expressions.
  private static final Pattern MODULE_SYNTAX = Pattern.compile(
      "(?m)^[ \\t]*(?:import[ \\t]*(?:[\\w$*{\"'])|export[ \\t]+(?:default|const|let|var|function|async|class|\\{|\\*))");

  private CodeShape() {}

  static boolean isModule(String code) {
    return MODULE_SYNTAX.matcher(code).find();
  }
}
