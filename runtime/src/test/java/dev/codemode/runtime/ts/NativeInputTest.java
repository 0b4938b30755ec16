package dev.codemode.runtime.ts;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The native parser's input check: every kind of nesting a parser recurses on is bounded, in the
 * shapes attacks use (each crashed the JVM at a few hundred to a few thousand levels before), and
 * text that only looks nested passes.
 */
class NativeInputTest {
  private static final int DEEP = 20_000;

  private static String wrap(String body) {
    return "const __codemode_main = async function () {\n" + body + "\n};";
  }

  private static Map<String, IntFunction<String>> attacks() {
    Map<String, IntFunction<String>> m = new LinkedHashMap<>();
    m.put("parens", n -> "let x: number = " + "(".repeat(n) + "1" + ")".repeat(n));
    m.put("brackets", n -> "let x: any = " + "[".repeat(n) + "]".repeat(n));
    m.put("objects", n -> "let x: any = " + "{a:".repeat(n) + "1" + "}".repeat(n));
    m.put("templates", n -> "let x: string = " + "`${".repeat(n) + "1" + "}`".repeat(n));
    m.put("unary", n -> "let x: number = " + "- ".repeat(n) + "1");
    m.put("not", n -> "let x: boolean = " + "!".repeat(n) + "1");
    m.put("typeof", n -> "let x: any = " + "typeof ".repeat(n) + "1");
    m.put("await", n -> "let x: any = " + "await ".repeat(n) + "1");
    m.put("binary", n -> "let x: number = " + "1+".repeat(n) + "1");
    m.put("binary-lines", n -> "let x: number = 1\n" + "+ 1\n".repeat(n));
    m.put("ternary", n -> "let x: number = " + "a?1:".repeat(n) + "1");
    m.put("assign", n -> "let x: number; " + "x=".repeat(n) + "1");
    m.put("arrows", n -> "let x: any = " + "x=>".repeat(n) + "1");
    m.put("calls", n -> "let x: any = f" + "()".repeat(n));
    m.put("members", n -> "let x: any = a" + ".b".repeat(n));
    m.put("tagged", n -> "let x: any = a" + "``".repeat(n));
    m.put("ifs", n -> "let x: number = 1; " + "if(x)".repeat(n) + "x;");
    m.put("ifs-on-lines", n -> "let x: number = 1\n" + "if (x)\n".repeat(n) + "x");
    m.put("else-if", n -> "let x: number = 1; if(x)x;" + "else if(x)x;".repeat(n));
    m.put("for-semicolons", n -> "let q: number = 1; " + "if(q) for(;;) ".repeat(n) + "q;");
    m.put("labels", n -> "let q: number = 1; " + "a: b: ".repeat(n));
    m.put("do", n -> "let q: number = 1; " + "do ".repeat(n) + "q;" + "while(q)".repeat(n));
    m.put("generics", n -> "let x: " + "Array<".repeat(n) + "number" + ">".repeat(n));
    m.put("type-literals", n -> "let x: " + "{a:".repeat(n) + "number" + "}".repeat(n));
    m.put("function-types", n -> "let x: " + "() => ".repeat(n) + "number");
    m.put("array-types", n -> "let x: number" + "[]".repeat(n));
    m.put("conditional-types", n -> "type X<T> = " + "T extends 1 ? 1 : ".repeat(n) + "0");
    m.put("as-chains", n -> "let x = y" + " as any".repeat(n));
    m.put("type-assertions", n -> "let x = " + "<any>".repeat(n) + "y");
    m.put("non-null", n -> "let x = y" + "!".repeat(n));
    m.put("arrow-bodies", n -> "let f: any = " + "() => {".repeat(n) + "}".repeat(n));
    m.put("comma-after-ifs", n -> "let q: number = 1; " + "if(q)".repeat(n / 2) + "q, " + "(".repeat(n / 2) + "1" + ")".repeat(n / 2));
    m.put("comma-after-labels", n -> "let q: number = 1; " + "l: m: ".repeat(n / 4) + "q, " + "(".repeat(n / 2) + "1" + ")".repeat(n / 2));
    m.put("comma-in-type-args", n -> "let q: " + "Map<K, ".repeat(n) + "V" + ">".repeat(n));
    m.put("decorated-class-in-chain", n -> "let x: any = " + "1+".repeat(n) + "@d\nclass {}");
    m.put("html-comment-hides-nothing", n -> "let x: number = 1;\n<!-- }}}\n" + "(".repeat(n) + "1" + ")".repeat(n));
    m.put("line-separator-ends-comment", n -> "let x: number = 1; // c\u2028" + "(".repeat(n) + "1" + ")".repeat(n));
    return m;
  }

  @Test
  void everyKindOfNestingIsRefusedNamingTheLimit() {
    attacks().forEach((name, shape) -> {
      NativeInput.RefusedException e = assertThrows(NativeInput.RefusedException.class,
          () -> NativeInput.check(wrap(shape.apply(DEEP)), false), name);
      assertTrue(e.getMessage().contains("limit of " + NativeInput.MAX_DEPTH), name + ": " + e.getMessage());
    });
  }

  @Test
  void aRegularExpressionThatCouldBeADivisionWithBracketsIsRefused() {
    // SWC reads "{} /}}}/" as a block and a regular expression; read as a division its braces would close levels.
    for (String body : new String[] {"{} /}}}/;", "let x: number[]\n/}}}/.test(s)", "for await (const a of b) /)))/.test(a)"}) {
      NativeInput.RefusedException e = assertThrows(NativeInput.RefusedException.class,
          () -> NativeInput.check(wrap(body), false), body);
      assertTrue(e.getMessage().contains("regular expression"), e.getMessage());
    }
  }

  @Test
  void textThatOnlyLooksNestedPasses() {
    String brackets = "(".repeat(DEEP) + "[".repeat(DEEP) + "{".repeat(DEEP) + "${".repeat(100);
    String code = "let a: string = '" + brackets + "';\n"
        + "let b: string = \"" + brackets + "\";\n"
        + "let c: string = `" + brackets.replace("${", "$ {") + "`;\n"
        + "// " + brackets + "\n"
        + "/* " + brackets + " */\n"
        + "let r: RegExp = /" + "\\(".repeat(DEEP) + "/;\n"
        + "<!-- " + brackets + "\n";
    assertDoesNotThrow(() -> NativeInput.check(wrap(code), false));
  }

  @Test
  void largeFlatProgramsPass() {
    String data = "const data: {id: number, name: string}[] = [\n"
        + "  {id: 1, name: 'a', tags: ['x', 'y'], nested: {k: 1, v: 2}},\n".repeat(5000) + "];\n";
    String object = "const map: Record<string, number> = {" + "k: 1, ".repeat(20_000) + "};\n";
    String statements = "let total: number = 0\n" + "total = total + Math.max(1, 2) * 3\n".repeat(10_000);
    String functions = "function f(a: number): number { return a + 1 }\n".repeat(2_000);
    String elseIfs = "let v: number = 1; if (v === 0) { v = 1 }" + " else if (v === 1) { v = 2 }".repeat(200) + "\n";
    String concat = "const s: string = " + "'a' +\n".repeat(300) + "'b';\n";
    for (String code : new String[] {data, object, statements, functions, elseIfs, concat}) {
      assertDoesNotThrow(() -> NativeInput.check(wrap(code), false), code.substring(0, 60));
    }
  }

  @Test
  void oversizedInputIsRefusedNamingTheLimit() {
    NativeInput.RefusedException e = assertThrows(NativeInput.RefusedException.class,
        () -> NativeInput.check("x".repeat(NativeInput.MAX_CHARS + 1), true));
    assertTrue(e.getMessage().contains(NativeInput.MAX_CHARS + "-character limit"), e.getMessage());
  }
}
