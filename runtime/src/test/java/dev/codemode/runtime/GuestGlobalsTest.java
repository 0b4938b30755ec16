package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Pins the exact global names the guest sees: a new global is a reviewed change, never an accident. */
class GuestGlobalsTest extends RunnerFixture {
  private static final Set<String> APPROVED = new TreeSet<>(List.of(
      // ECMAScript
      "AggregateError", "Array", "ArrayBuffer", "Atomics", "BigInt", "BigInt64Array", "BigUint64Array", "Boolean",
      "DataView", "Date", "Error", "EvalError", "FinalizationRegistry", "Float16Array", "Float32Array", "Float64Array",
      "Function", "Infinity", "Int16Array", "Int32Array", "Int8Array", "Intl", "Iterator", "JSON", "Map", "Math", "NaN",
      "Number", "Object", "Promise", "Proxy", "RangeError", "ReferenceError", "Reflect", "RegExp", "Set",
      "SharedArrayBuffer", "String", "Symbol", "SyntaxError", "TypeError", "URIError", "Uint16Array", "Uint32Array",
      "Uint8Array", "Uint8ClampedArray", "WeakMap", "WeakRef", "WeakSet", "decodeURI", "decodeURIComponent",
      "encodeURI", "encodeURIComponent", "escape", "eval", "globalThis", "isFinite", "isNaN", "parseFloat",
      "parseInt", "undefined", "unescape",
      // codemode's own
      "console", "fetch", "fs", "servers", "codemode",
      "setTimeout", "clearTimeout", "setInterval", "clearInterval", "queueMicrotask"));

  @Test
  void globalNamesAreExactlyTheApprovedList() {
    RunResult r = run("return Object.getOwnPropertyNames(globalThis)");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    Set<String> seen = StreamSupport.stream(r.result().spliterator(), false).map(n -> n.asText())
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(APPROVED, seen);
  }

  @Test
  void hostAndShellGlobalsAreAbsent() {
    RunResult r = run("return ['Java','Polyglot','Packages','load','loadWithNewGlobal','print','printErr','Graal',"
        + "'quit','exit','require','process','arguments','importScripts','read','readbuffer']"
        + ".filter(n => typeof globalThis[n] !== 'undefined' || n in globalThis)");
    assertEquals("[]", r.result().toString());
  }

  @Test
  void hostBridgeIsNotReachableByName() {
    RunResult r = run("return [typeof host, typeof bridge, typeof __cm, Object.getOwnPropertySymbols(globalThis).map(String)]");
    assertEquals("[\"undefined\",\"undefined\",\"undefined\",[\"Symbol(Symbol.toStringTag)\"]]", r.result().toString());
  }
}
