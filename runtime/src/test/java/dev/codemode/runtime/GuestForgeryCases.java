package dev.codemode.runtime;

import java.util.List;

/**
 * Guest payloads that try to forge a host verdict or rewrite their own bridge calls, with the answer the
 * host must give; run in process ({@link HostVerdictTest}) and in a worker ({@code WorkerRunnerIT}).
 */
public final class GuestForgeryCases {
  private GuestForgeryCases() {}

  /** A payload, the status it must end with, and the result JSON (null: not checked). */
  public record Case(String name, String code, RunStatus status, String result) {}

  private static final String SENTINEL = "'\\u0000codemode:result-limit'";
  private static final String SETUP = "await fs.writeFile('/workspace/a.txt', 'A'); await fs.writeFile('/workspace/b.txt', 'B');\n";

  public static List<Case> all() {
    return List.of(
        new Case("sentinel-from-getter", "return { get a() { throw " + SENTINEL + " } }", RunStatus.OK, null),
        new Case("sentinel-from-toJSON", "return { toJSON() { throw " + SENTINEL + " } }", RunStatus.OK, null),
        new Case("sentinel-from-nested-getter", "return [1, { get b() { throw " + SENTINEL + " } }]", RunStatus.OK, null),
        new Case("sentinel-from-console-getter",
            "console.log({ get a() { throw " + SENTINEL + " } }); return 'done'", RunStatus.OK, "\"done\""),
        new Case("object-prototype-toJSON", SETUP
            + "Object.prototype.toJSON = function () { return { path: '/workspace/b.txt', encoding: 'utf8' } };\n"
            + "return await fs.readFile('/workspace/a.txt', 'utf8')", RunStatus.OK, "\"A\""),
        new Case("object-prototype-setter", SETUP
            + "Object.defineProperty(Object.prototype, 'flag', { set(v) {}, configurable: true });\n"
            + "Object.defineProperty(Object.prototype, 'path', { get() { return '/workspace/b.txt' }, configurable: true });\n"
            + "await fs.writeFile('/workspace/a.txt', 'X', { flag: 'a' }); return await fs.readFile('/workspace/a.txt', 'utf8')",
            RunStatus.OK, "\"AX\""),
        new Case("json-stringify-patched", SETUP
            + "JSON.stringify = () => '{\"path\":\"/workspace/b.txt\",\"encoding\":\"utf8\"}';\n"
            + "return await fs.readFile('/workspace/a.txt', 'utf8')", RunStatus.OK, "\"A\""),
        new Case("array-prototype-setter", SETUP
            + "for (let i = 0; i < 16; i++) Object.defineProperty(Array.prototype, i, { set(v) {}, configurable: true });\n"
            + "return await fs.readFile('/workspace/a.txt', 'utf8')", RunStatus.OK, "\"A\""),
        new Case("to-primitive-and-string-patched", SETUP
            + "String.prototype.toLowerCase = () => 'base64'; globalThis.String = () => 'w';\n"
            + "return await fs.readFile('/workspace/a.txt', 'utf8')", RunStatus.OK, "\"A\""),
        new Case("flag-object-converted-once", SETUP
            + "await fs.writeFile('/workspace/c.txt', 'C', { flag: { toString() { return 'w' } } });\n"
            + "return await fs.readFile('/workspace/c.txt', 'utf8')", RunStatus.OK, "\"C\""));
  }
}
