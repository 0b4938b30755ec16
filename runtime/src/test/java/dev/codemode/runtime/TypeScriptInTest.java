package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Models write TypeScript out of habit: types are stripped, and errors still point at the agent's lines. */
class TypeScriptInTest extends RunnerFixture {
  @Test
  void interfacesGenericsAsAndEnumsRun() {
    RunResult r = run("interface Item { name: string; qty: number }\n"
        + "function total<T extends Item>(items: T[]): number { return items.reduce((a, i) => a + i.qty, 0) }\n"
        + "enum Level { Low = 1, High }\n"
        + "const items = [{name: 'a', qty: 2}, {name: 'b', qty: 3}] as Item[];\n"
        + "const n: number = await Promise.resolve(total(items));\n"
        + "return {n, high: Level.High}");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals("{\"n\":5,\"high\":2}", r.result().toString());
  }

  @Test
  void runtimeErrorInTypeScriptPointsAtTheAgentsLine() {
    RunResult r = run("type P = { x: number };\nconst p: P = { x: 1 };\n\nconst q = (null as unknown as P);\nreturn q.x;");
    assertEquals(RunStatus.ERROR, r.status());
    assertEquals("TypeError", r.error().type());
    assertTrue(r.error().stack().contains("agent.ts:5"), r.error().stack());
  }

  @Test
  void aTypeErrorThatIsAlsoASyntaxErrorReportsTheAgentsLine() {
    RunResult r = run("const a: number = 1;\nconst b: string = ;\nreturn a;");
    assertEquals(RunStatus.ERROR, r.status());
    assertEquals("SyntaxError", r.error().type());
    assertTrue(r.error().stack().contains("agent.js:2"), r.error().stack() + " / " + r.error().message());
  }

  @Test
  void typeScriptModules() {
    RunResult r = run("import { readFile } from 'node:fs/promises';\nconst k: string = 'v';\nexport default { k } as { k: string };");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals("{\"k\":\"v\"}", r.result().toString());
  }

  @Test
  void plainJavaScriptSyntaxErrorsStillReportTheirLine() {
    RunResult r = run("const a = 1;\nconst = 2;\n");
    assertEquals("SyntaxError", r.error().type());
    assertTrue(r.error().stack().contains("agent.js:2"), r.error().stack());
  }

  @Test
  void deeplyNestedTypeScriptIsRefusedBeforeTheNativeParserAndTheProcessSurvives() {
    // Each of these (at most 400 KB, below the 1 MiB code cap) crashed the JVM with SIGSEGV inside swc4j, even
    // on a run thread's 64 MiB stack.
    for (String code : new String[] {
        "const x: number = " + "(".repeat(100_000) + "1" + ")".repeat(100_000) + ";\nreturn x;",
        "const x: number = " + "1+".repeat(200_000) + "1;\nreturn x;",
        "const x: string = " + "`${".repeat(50_000) + "1" + "}`".repeat(50_000) + ";\nreturn x;"}) {
      RunResult r = run(code);
      assertEquals(RunStatus.ERROR, r.status(), String.valueOf(r.result()));
      assertEquals("SyntaxError", r.error().type());
      assertTrue(r.error().message().contains("nests deeper than the limit of 2000"), r.error().message());
    }
    RunResult next = run("const n: number = 41; return n + 1");
    assertEquals(RunStatus.OK, next.status(), String.valueOf(next.error()));
    assertEquals("42", next.result().toString());
  }
}
