package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Console capture with head-and-marker truncation; errors as data with the agent's own line numbers. */
class ConsoleAndErrorsTest extends RunnerFixture {
  @Test
  void consoleLevelsAndValues() {
    RunResult r = run("console.log('a', 1, {b: [2]}); console.warn('w'); console.error(new TypeError('t')); return 0");
    assertTrue(r.console().startsWith("a 1 {\"b\":[2]}\n[warn] w\n[error] TypeError: t\n    at "), r.console());
    assertTrue(r.console().contains("agent.js:1:"), r.console());
  }

  @Test
  void floodIsTruncatedWithAMarker() {
    RunResult r = run("for (let i = 0; i < 1000; i++) console.log('line ' + i + ' ' + 'x'.repeat(50)); return 1");
    assertEquals(RunStatus.OK, r.status());
    assertTrue(r.console().startsWith("line 0 "));
    assertTrue(r.console().contains("console truncated at 4096 bytes"), r.console());
    assertTrue(r.console().length() < 4096 + 200);
  }

  @Test
  void floodKeepsTheTailWhereTheErrorIsAndSaysHowMuchWasCut() {
    RunResult r = run("for (let i = 0; i < 1000; i++) console.log('line ' + i + ' ' + 'x'.repeat(50));\n"
        + "console.error('the real problem'); throw new Error('late failure')");
    assertEquals(RunStatus.ERROR, r.status());
    String c = r.console();
    assertTrue(c.startsWith("line 0 "), c);
    assertTrue(c.endsWith("line 999 " + "x".repeat(50) + "\n[error] the real problem\n"), c);
    assertTrue(c.matches("(?s).*console truncated at 4096 bytes: \\d+ bytes cut here.*"), c);
    assertTrue(c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 4096 + 200, c.length() + " chars");
  }

  @Test
  void thrownErrorCarriesTypeMessageAndAgentLine() {
    RunResult r = run("const x = 1;\n\nfunction inner() { throw new RangeError('bad ' + x) }\ninner();");
    assertEquals(RunStatus.ERROR, r.status());
    assertEquals("RangeError", r.error().type());
    assertEquals("bad 1", r.error().message());
    assertNotNull(r.error().stack());
    assertTrue(r.error().stack().contains("agent.js:3"), r.error().stack());
    assertTrue(r.error().stack().contains("agent.js:4"), r.error().stack());
    assertTrue(!r.error().stack().contains("prelude"), r.error().stack());
  }

  @Test
  void syntaxErrorReportsTheAgentsLine() {
    RunResult r = run("const a = 1;\nconst b = ;\n");
    assertEquals(RunStatus.ERROR, r.status());
    assertEquals("SyntaxError", r.error().type());
    assertTrue(r.error().stack().contains("agent.js:2"), r.error().stack() + " / " + r.error().message());
  }

  @Test
  void thrownNonErrorsAreDescribed() {
    RunResult r = run("throw {code: 42}");
    assertEquals(RunStatus.ERROR, r.status());
    r = run("throw 'plain'");
    assertEquals("plain", r.error().message());
  }

  @Test
  void errorWithHostileGettersIsStillDescribed() {
    RunResult r = run("const e = new Error('m'); Object.defineProperty(e, 'message', {get() { throw 1 }});"
        + " Object.defineProperty(e, 'stack', {get() { for(;;){} }}); throw e");
    assertTrue(r.status() == RunStatus.ERROR || r.status() == RunStatus.LIMIT, r.status().toString());
  }
}
