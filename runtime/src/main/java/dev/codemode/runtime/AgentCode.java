package dev.codemode.runtime;

import dev.codemode.runtime.ts.NativeInput;
import dev.codemode.runtime.ts.SourceMapLines;
import dev.codemode.runtime.ts.TypeScript;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;

/**
 * The agent's code made ready to evaluate: JavaScript as written, or, when it does not parse as
 * JavaScript, TypeScript with its types stripped and a map back to the agent's lines.
 */
final class AgentCode {
  static final String FUNCTION_PREFIX = "(async function () {";
  private static final String TS_PREFIX = "const __codemode_main = async function () {\n";
  private static final Pattern FIRST_LINE = Pattern.compile("agent\\.js:1:(\\d+)");
  private static final Pattern GENERATED = Pattern.compile("agent\\.(m?js):(\\d+)(?::(\\d+))?");

  /** A script to evaluate, or a module source to serve at the main module path; {@code map} set for TypeScript. */
  record Prepared(Source script, String moduleSource, SourceMapLines map, boolean module) {

    /**
     * Rewrites {@code agent.js:L:C} locations in {@code text} to the agent's own: TypeScript lines, or,
     * for a JavaScript script, columns on line 1 without the wrapper's prefix.
     */
    String remap(String text) {
      if (text == null || module && map == null) {
        return text;
      }
      if (map == null) {
        Matcher first = FIRST_LINE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (first.find()) {
          int column = Math.max(1, Integer.parseInt(first.group(1)) - FUNCTION_PREFIX.length());
          first.appendReplacement(sb, "agent.js:1:" + column);
        }
        first.appendTail(sb);
        return sb.toString();
      }
      Matcher m = GENERATED.matcher(text);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        int line = Integer.parseInt(m.group(2)) - 1;
        int column = m.group(3) == null ? 0 : Integer.parseInt(m.group(3)) - 1;
        int original = map.originalLine(line, column);
        // Scripts were wrapped with one extra first line; modules were not.
        int agentLine = original < 0 ? -1 : (module ? original + 1 : original);
        m.appendReplacement(sb, agentLine > 0 ? "agent.ts:" + agentLine : "agent.ts");
      }
      m.appendTail(sb);
      return sb.toString();
    }
  }

  /** A syntax error in the agent's code, already located at the agent's own line. */
  static final class SyntaxFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final GuestError error;

    SyntaxFailure(GuestError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }
  }

  private AgentCode() {}

  static Prepared prepare(Context context, String code, boolean module) throws SyntaxFailure {
    Source js = module
        ? Source.newBuilder("js", code, "agent.mjs").mimeType("application/javascript+module").buildLiteral()
        : Source.newBuilder("js", FUNCTION_PREFIX + code + "\n})()", RunExecution.AGENT_SCRIPT).buildLiteral();
    PolyglotException jsError;
    try {
      context.parse(js);
      return new Prepared(module ? null : js, module ? code : null, null, module);
    } catch (PolyglotException e) {
      if (!e.isSyntaxError()) {
        throw e;
      }
      jsError = e;
    }
    Prepared ts;
    try {
      if (module) {
        TypeScript.Output out = TypeScript.transpile(checked(code, true, 0));
        ts = new Prepared(null, out.code(), out.map(), true);
      } else {
        TypeScript.Output out = TypeScript.transpile(checked(TS_PREFIX + code + "\n};", false, 1));
        Source script = Source.newBuilder("js", out.code() + "\n__codemode_main()", RunExecution.AGENT_SCRIPT).buildLiteral();
        ts = new Prepared(script, null, out.map(), false);
      }
    } catch (TypeScript.TranspileException e) {
      int line = module ? e.line() : e.line() - 1;
      String where = line > 0 ? "    at agent" + (module ? ".mjs:" : ".js:") + line + ":" + e.column() : null;
      throw new SyntaxFailure(new GuestError("SyntaxError", e.getMessage(), where));
    }
    try {
      context.parse(module
          ? Source.newBuilder("js", ts.moduleSource(), "agent.mjs").mimeType("application/javascript+module").buildLiteral()
          : ts.script());
      return ts;
    } catch (PolyglotException e) {
      if (!e.isSyntaxError()) {
        throw e;
      }
      // Stripping types did not help: the code is JavaScript the engine refuses, and its error is the real one.
      throw new SyntaxFailure(PolyglotErrors.toGuestError(jsError, FUNCTION_PREFIX.length()));
    }
  }

  /** {@code source} past the native parser's input checks; a refusal is a syntax failure at the agent's line. */
  private static NativeInput checked(String source, boolean module, int prefixLines) throws SyntaxFailure {
    try {
      return NativeInput.check(source, module);
    } catch (NativeInput.RefusedException e) {
      int line = e.line() - prefixLines;
      String where = line > 0 ? "    at agent" + (module ? ".mjs:" : ".js:") + line : null;
      throw new SyntaxFailure(new GuestError("SyntaxError", e.getMessage(), where));
    }
  }
}
