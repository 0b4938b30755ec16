package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Converting whatever the agent returns to JSON never hangs or crashes the host. */
class ResultConversionTest extends RunnerFixture {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "return 6*7 | 42",
      "return 'héllo ✓' | \"héllo ✓\"",
      "return | null",
      "return undefined | null",
      "return null | null",
      "return [1, undefined, () => 1, Symbol('s')] | [1,null,null,null]",
      "return {a: undefined, f() {}, b: 1} | {\"b\":1}",
      "return 10n ** 30n | \"1000000000000000000000000000000\"",
      "return NaN | null",
      "return {d: new Date(0)} | {\"d\":\"1970-01-01T00:00:00.000Z\"}",
      "const o = {}; o.self = o; return o | {\"self\":\"[Circular]\"}",
      "const a = [1]; a.push(a); return a | [1,\"[Circular]\"]",
      "return {get bad() { throw new RangeError('nope') }} | {\"bad\":\"[getter threw: RangeError: nope]\"}",
      "return {toJSON() { throw new Error('trap') }} | \"[toJSON threw: Error: trap]\"",
      "return {toJSON() { return {x: 1} }} | {\"x\":1}",
      "return new Map([[1, 2]]) | {}",
      "return new Proxy({}, {ownKeys() { throw new Error('trap') }}) | null",
  })
  void converts(String code, String expected) {
    RunResult r = run(code);
    if (expected.equals("null") && code.contains("Proxy")) {
      // A throwing ownKeys trap surfaces as the agent's error, not a host failure.
      assertEquals(RunStatus.ERROR, r.status(), String.valueOf(r.result()));
      return;
    }
    assertEquals(RunStatus.OK, r.status(), () -> String.valueOf(r.error()));
    assertEquals(expected, r.result().toString());
  }

  @Test
  void deepNestingIsCutNotOverflowed() {
    RunResult r = run("let o = {}; const root = o; for (let i = 0; i < 10000; i++) { o.n = {}; o = o.n } return root");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertTrue(r.result().toString().contains("[Max depth]"));
  }

  @Test
  void getterThatLoopsIsEndedByALimit() {
    RunResult r = run("return {get spin() { for(;;){} }}");
    assertEquals(RunStatus.LIMIT, r.status());
  }

  @Test
  void poisonedIntrinsicsDoNotBreakConversion() {
    RunResult r = run("JSON.stringify = () => { throw 1 }; Object.keys = () => []; Array.isArray = () => false;"
        + " Object.prototype.toJSON = function () { return 'pwned' }; return {a: [1, 2]}");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals("\"pwned\"", r.result().toString(), "toJSON is the agent's own choice, honoured like JSON.stringify");
    RunResult r2 = run("JSON.stringify = () => { throw 1 }; Object.keys = () => []; return {a: [1, 2]}");
    assertEquals("{\"a\":[1,2]}", r2.result().toString());
  }

  @Test
  void thenableResultIsAwaitedOnce() {
    RunResult r = run("return {then(resolve) { resolve(7) }}");
    assertEquals("7", r.result().toString());
  }

  @Test
  void promiseThatNeverSettlesIsAnErrorNotAHang() {
    RunResult r = run("await new Promise(() => {}); return 1");
    assertEquals(RunStatus.ERROR, r.status());
    assertTrue(r.error().message().contains("never settled"), r.error().message());
  }
}
