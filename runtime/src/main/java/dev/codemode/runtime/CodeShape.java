package dev.codemode.runtime;

import dev.codemode.runtime.ts.ModuleSyntax;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The agent's code as the runner evaluates it, decided by parsing: an ES module when it exports
 * something (its default export is the result), otherwise the body of an async function in which
 * static imports have become dynamic ones in place, so imports and a top-level {@code return} mix.
 *
 * @param module true for an ES module
 * @param code what to evaluate: the code as written, or with its imports rewritten (same lines)
 * @param imports the static imports, for checking their specifiers before the run
 */
record CodeShape(boolean module, String code, List<ModuleSyntax.StaticImport> imports) {

  CodeShape {
    imports = List.copyOf(imports);
  }

  static CodeShape of(String code) {
    // Without either word there is no module syntax to find: most code skips the parse.
    if (!code.contains("import") && !code.contains("export")) {
      return new CodeShape(false, code, List.of());
    }
    Optional<ModuleSyntax> syntax = ModuleSyntax.of(code);
    if (syntax.isEmpty()) {
      // It does not parse: evaluated as written, the engine reports the syntax error.
      return new CodeShape(false, code, List.of());
    }
    ModuleSyntax s = syntax.get();
    if (s.exports()) {
      return new CodeShape(true, code, s.imports());
    }
    if (s.imports().isEmpty()) {
      return new CodeShape(false, code, List.of());
    }
    return new CodeShape(false, hoisted(code, s.imports()), s.imports());
  }

  /** 1-based line of a character offset in the agent's code. */
  static int lineAt(String code, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < code.length(); i++) {
      if (code.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** Each static import replaced by its dynamic form on the same line; its line breaks are kept, so later lines do not move. */
  private static String hoisted(String code, List<ModuleSyntax.StaticImport> imports) {
    StringBuilder sb = new StringBuilder(code.length() + 64);
    int at = 0;
    for (ModuleSyntax.StaticImport i : imports) {
      sb.append(code, at, i.start());
      sb.append(i.asDynamicImport() == null ? "" : i.asDynamicImport());
      for (int c = i.start(); c < i.end(); c++) {
        if (code.charAt(c) == '\n') {
          sb.append('\n');
        }
      }
      at = i.end();
    }
    return sb.append(code, at, code.length()).toString();
  }

  /**
   * The error for the first static import of a name no module is served under ({@code node:fs},
   * {@code lodash}), listing what can be imported instead; null when every import can be served.
   * Paths (absolute, relative, {@code file:}) are left to the loader, which applies the file policy.
   */
  GuestError unavailableImport(String agentCode, Predicate<String> served, Collection<String> available) {
    for (ModuleSyntax.StaticImport i : imports) {
      String spec = i.specifier();
      if (i.asDynamicImport() == null || spec.startsWith("/") || spec.startsWith("./") || spec.startsWith("../")
          || spec.startsWith("file:") || served.test(spec)) {
        continue;
      }
      String message = "Cannot import '" + spec + "': there is no such module in this sandbox (no npm packages,"
          + " no Node.js built-ins). Importable: " + String.join(", ", available.stream().map(a -> "'" + a + "'").toList())
          + ", and files by path under /workspace or /deps. Globals need no import: fs (readFile, writeFile, readdir,"
          + " stat, mkdir, rm), fetch, console, servers.<server>.<tool>(args), codemode.searchTools(query).";
      return new GuestError("Error", message, "    at agent.js:" + lineAt(agentCode, i.start()));
    }
    return null;
  }
}
