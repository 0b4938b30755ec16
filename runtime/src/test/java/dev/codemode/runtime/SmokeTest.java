package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void runs() {
    try (SandboxRunner runner = SandboxRunner.builder().build()) {
      for (String code : new String[] {"return 6*7", "export default 40+2", "const x = await Promise.resolve(41); return x+1",
          "throw new TypeError('boom')", "while(true){}", "function f(){return f()+1}; return f()", "console.log('hi', {a:1}); return [1,undefined,()=>1, 10n]",
          "return Object.getOwnPropertyNames(globalThis).join(',')", "const o={}; o.self=o; return o", "return 'x'.repeat(100000)"}) {
        RunResult r = runner.run(TestRuns.request(code));
        System.out.println(code + " => " + r.status() + " " + r.result() + " err=" + r.error() + " limit=" + r.limit() + " console=" + r.console() + " ms=" + r.durationMs());
      }
    }
    assertEquals(1, 1);
  }
}
