package dev.codemode.server.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The attack catalogue. Each family follows the issue: host reach, realm escapes, state leaks,
 * resources, egress and exfil, files. A bug ever found gets a case here, kept forever.
 */
final class EscapeCases {
  private final List<EscapeCase> cases = new ArrayList<>();
  private final int allowedPort;
  private final int canaryPort;

  private EscapeCases(int allowedPort, int canaryPort) {
    this.allowedPort = allowedPort;
    this.canaryPort = canaryPort;
  }

  static List<EscapeCase> all(int allowedPort, int canaryPort) {
    EscapeCases c = new EscapeCases(allowedPort, canaryPort);
    c.hostReach();
    c.realmEscapes();
    c.stateLeaks();
    c.resources();
    c.forgery();
    c.egress();
    c.files();
    return List.copyOf(c.cases);
  }

  // --- outcome helpers ---------------------------------------------------------------------------

  private static Predicate<JsonNode> result(String json) {
    return s -> s.get("result").toString().equals(json);
  }

  private static Predicate<JsonNode> resultContains(String text) {
    return s -> s.get("result").toString().contains(text);
  }

  private static Predicate<JsonNode> denied(String kind) {
    return s -> {
      for (JsonNode d : s.get("denials")) {
        if (d.get("kind").asText().equals(kind)) {
          return true;
        }
      }
      return false;
    };
  }

  private static final Predicate<JsonNode> ANY = s -> true;

  private void add(String family, String id, String profile, String setup, String code, List<String> statuses,
      String why, Predicate<JsonNode> check) {
    cases.add(new EscapeCase(family, id, profile, setup, code, 3_000, statuses, why, check));
  }

  private void ok(String family, String id, String code, String expected) {
    add(family, id, null, null, code, List.of("ok"), "result " + expected, result(expected));
  }

  private void fails(String family, String id, String code) {
    add(family, id, null, null, code, List.of("error", "limit"), "ends as error or limit", ANY);
  }

  private void limited(String family, String id, String code) {
    add(family, id, null, null, code, List.of("limit"), "ends as limit", ANY);
  }

  // --- host reach ----------------------------------------------------------------------------------

  private void hostReach() {
    String f = "host-reach";
    for (String g : List.of("Java", "Polyglot", "Packages", "load", "loadWithNewGlobal", "print", "printErr", "Graal",
        "quit", "exit", "require", "process", "module", "Buffer", "java", "com", "javax")) {
      ok(f, "global-" + g, "return typeof globalThis['" + g + "'] + '/' + ('" + g + "' in globalThis)", "\"undefined/false\"");
    }
    fails(f, "java-type", "return Java.type('java.lang.Runtime').getRuntime().exec('id')");
    fails(f, "polyglot-eval", "return Polyglot.eval('js', '1')");
    ok(f, "function-ctor-this", "return typeof Function('return this')().Java", "\"undefined\"");
    ok(f, "async-function-ctor", "const AF = Object.getPrototypeOf(async function(){}).constructor;"
        + " return await AF('return typeof Java')()", "\"undefined\"");
    ok(f, "getclass-on-bridge-functions", "return [fetch, console.log, codemode.searchTools, servers].map(x =>"
        + " [typeof x.getClass, typeof x.class, typeof x.getMetaObject].join())", "[\"undefined,undefined,undefined\","
        + "\"undefined,undefined,undefined\",\"undefined,undefined,undefined\",\"undefined,undefined,undefined\"]");
    ok(f, "bridge-function-own-properties", "return Object.getOwnPropertyNames(fetch).sort()", "[\"length\",\"name\",\"prototype\"]");
    add(f, "function-sources-hide-host", null, null, "return [fetch, console.log, codemode.describeTool].map(String).join()",
        List.of("ok"), "no Java names in function sources", s -> !s.get("result").asText().matches("(?s).*(java\\.|Proxy|Host).*"));
    add(f, "reflection-strings", null, null, "const out = []; for (const n of ['java.lang.Runtime','java.lang.System',"
        + "'java.io.File']) { try { out.push(String(eval(\"Java.type('\" + n + \"')\"))) } catch (e) { out.push(e.name) } }"
        + " return out", List.of("ok"), "every lookup fails", result("[\"ReferenceError\",\"ReferenceError\",\"ReferenceError\"]"));
    add(f, "error-name-of-bridge-failure", null, null, "try { await codemode.describeTool('x.y') } catch (e) {"
        + " return [e.name, e.constructor === Error, String(e.stack).includes('java')] }", List.of("ok"),
        "a plain Error, no host class", result("[\"Error\",true,false]"));
    fails(f, "import-java-scheme", "return await import('java:java.lang.Runtime')");
    fails(f, "import-host-file", "return await import('file:///etc/passwd')");
  }

  // --- realm escapes -------------------------------------------------------------------------------

  private void realmEscapes() {
    String f = "realm";
    add(f, "prepare-stack-trace", null, null, "Error.prepareStackTrace = (e, frames) => frames.map(fr =>"
        + " typeof fr.getThis === 'function' ? String(fr.getThis()) : 'x'); return String(new Error('e').stack)",
        List.of("ok"), "no host object in stack frames", s -> !s.get("result").asText().contains("java"));
    add(f, "capture-stack-trace", null, null, "const o = {}; if (Error.captureStackTrace) Error.captureStackTrace(o);"
        + " return String(o.stack)", List.of("ok"), "no host frames", s -> !s.get("result").asText().contains("java"));
    fails(f, "proxy-thrown", "throw new Proxy({}, {get() { throw new Error('trap') }, getPrototypeOf() { throw 1 }})");
    fails(f, "proxy-thrown-spins", "throw new Proxy(new Error('x'), {get(t, k) { if (k === 'stack') for(;;){} return t[k] }})");
    add(f, "species", null, null, "class Evil extends Promise { static get [Symbol.species]() { return Promise } }"
        + " return await Evil.resolve(3).then(x => x + 1)", List.of("ok"), "species is the guest's own business", result("4"));
    add(f, "species-spins", null, null, "class Evil extends Promise { constructor(e) { super(e); for(;;){} } }"
        + " return Evil.resolve(1)", List.of("limit"), "ends as limit", ANY);
    fails(f, "rejection-value-trap", "return Promise.reject({get message() { for(;;){} }, toString() { for(;;){} }})");
    limited(f, "tojson-spins", "return {toJSON() { for(;;){} }}");
    add(f, "then-getter-throws", null, null, "return {get then() { throw new Error('then trap') }}", List.of("error"),
        "the trap is the agent's own error", s -> s.at("/error/message").asText().contains("then trap"));
    add(f, "getter-returns-global", null, null, "return {get g() { return globalThis }}", List.of("ok", "limit"),
        "serialized without host objects", s -> !s.toString().contains("java"));
    ok(f, "constructor-chain-same-realm", "return ({}).constructor.constructor('return this')() === globalThis", "true");
    ok(f, "poisoned-then", "Promise.prototype.then = function () { return 'hijacked' }; return 7", "7");
    ok(f, "poisoned-json-before-host-call", "JSON.parse = () => ({ok: true, value: 'forged'});"
        + " try { return await codemode.describeTool('a.b') } catch (e) { return e.code }", "\"ENOTOOL\"");
    ok(f, "prototype-ok-pollution", "Object.prototype.ok = true; Object.prototype.value = 'forged';"
        + " try { return await codemode.describeTool('a.b') } catch (e) { return e.code }", "\"ENOTOOL\"");
    add(f, "caller-walk", null, null, "function f() { return f.caller } const c = f(); return typeof c === 'function'"
        + " ? String(c).slice(0, 40) : String(c)", List.of("ok"), "no prelude or host function reached",
        s -> !s.get("result").asText().contains("hostBridge"));
    add(f, "arguments-callee-in-callback", null, null, "let seen = ''; console.log.call({}, {toString() {"
        + " try { seen = String(arguments.callee.caller) } catch (e) { seen = e.name } return 'x' }}); return seen.includes('hostLog')",
        List.of("ok"), "strict prelude functions are not walkable", result("false"));
  }

  // --- state leaks (planted in one run, checked in the next) ---------------------------------------

  private void stateLeaks() {
    String f = "state-leak";
    String[][] plants = {
        {"global", "globalThis.leaked = 1", "return typeof leaked", "\"undefined\""},
        {"object-prototype", "Object.prototype.polluted = 1", "return ({}).polluted === undefined", "true"},
        {"array-prototype", "Array.prototype.map = () => 'evil'", "return [1].map(x => x + 1)", "[2]"},
        {"json", "JSON.stringify = () => 'evil'", "return JSON.stringify({a: 1})", "\"{\\\"a\\\":1}\""},
        {"console", "console.log = () => { throw 1 }", "console.log('fine'); return 1", "1"},
        {"fetch", "globalThis.fetch = () => 'evil'", "return typeof fetch('x').then", "\"function\""},
        {"symbol-registry", "Symbol.for('k').description; globalThis.s = Symbol.for('k')", "return typeof s", "\"undefined\""},
        {"string-prototype", "String.prototype.trim = () => 'evil'", "return ' a '.trim()", "\"a\""},
        // A run starts with only its empty artifact folder, /workspace/out.
        {"workspace-file", "await fs.writeFile('/workspace/left.txt', 'x'); await fs.writeFile('/workspace/out/left.txt', 'x')",
            "return [await fs.readdir('/workspace'), await fs.readdir('/workspace/out')]", "[[\"out\"],[]]"},
    };
    for (String[] p : plants) {
      add(f, p[0], null, p[1] + "; return 'planted'", p[2], List.of("ok"), "fresh in the next run", result(p[3]));
    }
  }

  // --- resources -----------------------------------------------------------------------------------

  private void resources() {
    String f = "resource";
    limited(f, "while-true", "while (true) {}");
    limited(f, "loop-in-finally", "try { return 1 } finally { while (true) {} }");
    limited(f, "catch-and-continue", "for (;;) { try { throw new Error() } catch (e) { continue } }");
    limited(f, "recursion", "function f() { return f() + 1 } return f()");
    limited(f, "recursion-catching", "function f() { try { return f() } catch (e) { return f() } } return f()");
    limited(f, "mutual-recursion", "const a = () => b(); const b = () => a(); return a()");
    fails(f, "string-bomb", "let s = 'x'; for (;;) s += s");
    fails(f, "repeat-bomb", "return 'x'.repeat(2 ** 31)");
    fails(f, "buffer-bomb", "const bufs = []; for (;;) bufs.push(new ArrayBuffer(64 << 20))");
    fails(f, "array-bomb", "let a = []; for (;;) a.push(new Array(1e6).fill(1))");
    fails(f, "deep-json", "return JSON.parse('['.repeat(1e6) + ']'.repeat(1e6))");
    fails(f, "deep-ast", "return eval('('.repeat(1e5) + '1' + ')'.repeat(1e5))");
    add(f, "redos", null, null, "return /^(a+)+$/.test('a'.repeat(5000) + '!')", List.of("ok", "limit"),
        "linear regex engine or a limit", ANY);
    limited(f, "microtask-loop", "const spin = () => Promise.resolve().then(spin); spin(); await new Promise(() => {})");
    limited(f, "async-generator-loop", "async function* g() { for (;;) yield 1 } for await (const x of g()) {}");
    add(f, "atomics-wait", null, null, "Atomics.wait(new Int32Array(new SharedArrayBuffer(16)), 0, 0); return 'woke'",
        List.of("error", "limit"), "refused or ended", ANY);
    add(f, "console-flood", null, null, "const s = 'y'.repeat(1 << 16); for (let i = 0; i < 2000; i++) console.log(s); return 1",
        List.of("ok", "limit"), "console truncated", s -> s.get("console").asText().length() < 70_000);
    add(f, "result-flood", null, null, "return 'z'.repeat(5e6)", List.of("limit"), "limit output",
        s -> s.get("limit").asText().equals("output"));
    // Native code (swc4j) recursed on these until SIGSEGV took the whole server or worker down.
    String refusedDeep = "refused before the native parser, naming the limit";
    for (String[] deep : new String[][] {
        {"ts-deep-parens", "const x: number = " + "(".repeat(100_000) + "1" + ")".repeat(100_000) + "; return x"},
        {"ts-deep-binary", "const x: number = " + "1+".repeat(200_000) + "1; return x"},
        {"ts-deep-template", "const x: string = " + "`${".repeat(50_000) + "1" + "}`".repeat(50_000) + "; return x"},
        {"ts-regex-or-division", "let x: number[] = []\n/}}}}}/.test('a'); " + "(".repeat(5_000) + "1" + ")".repeat(5_000)}}) {
      add(f, deep[0], null, null, deep[1], List.of("error"), refusedDeep,
          s -> s.at("/error/message").asText().contains("refused before") && s.at("/error/type").asText().equals("SyntaxError"));
    }
    add(f, "never-settles", null, null, "await new Promise(() => {}); return 1", List.of("error"), "reported, not hung",
        s -> s.at("/error/message").asText().contains("never settled"));
  }

  // --- forged verdicts and rewritten bridge calls --------------------------------------------------

  private void forgery() {
    String f = "forgery";
    String sentinel = "'\\u0000codemode:result-limit'";
    ok(f, "result-limit-sentinel-from-getter", "const o = { get a() { throw " + sentinel + " } }; return Object.keys(o).length", "1");
    add(f, "result-limit-sentinel-in-result", null, null, "return { get a() { throw " + sentinel + " } }", List.of("ok"),
        "ok, the getter marked, no limit", s -> !s.hasNonNull("limit"));
    String files = "await fs.writeFile('/workspace/a.txt', 'A'); await fs.writeFile('/workspace/b.txt', 'B');\n";
    ok(f, "tojson-rewrites-readfile", files
        + "Object.prototype.toJSON = function () { return { path: '/workspace/b.txt', encoding: 'utf8' } };\n"
        + "return await fs.readFile('/workspace/a.txt', 'utf8')", "\"A\"");
    ok(f, "json-stringify-rewrites-readfile", files
        + "JSON.stringify = () => '{\"path\":\"/workspace/b.txt\",\"encoding\":\"utf8\"}';\n"
        + "return await fs.readFile('/workspace/a.txt', 'utf8')", "\"A\"");
    ok(f, "prototype-getter-rewrites-path", files
        + "Object.defineProperty(Object.prototype, 'path', { get() { return '/workspace/b.txt' }, configurable: true });\n"
        + "return await fs.readFile('/workspace/a.txt', 'utf8')", "\"A\"");
    ok(f, "array-setter-drops-envelope-parts", files
        + "for (let i = 0; i < 32; i++) Object.defineProperty(Array.prototype, i, { set(v) {}, configurable: true });\n"
        + "return await fs.readFile('/workspace/a.txt', 'utf8')", "\"A\"");
  }

  // --- egress and exfil (profile web allows only GET http://test.local:<allowed>/ok-ish paths) ------

  private void egress() {
    String f = "egress";
    String base = "http://test.local:" + allowedPort;
    String c = String.valueOf(canaryPort);
    String[][] deniedUrls = {
        {"dns-label-exfil", "http://secret-data.test.local:" + allowedPort + "/ok"},
        {"ip-decimal", "http://127.0.0.1:" + c + "/"},
        {"ip-integer", "http://2130706433:" + c + "/"},
        {"ip-hex", "http://0x7f000001:" + c + "/"},
        {"ip-octal", "http://0177.0.0.1:" + c + "/"},
        {"ip-short", "http://127.1:" + c + "/"},
        {"ipv6-loopback", "http://[::1]:" + c + "/"},
        {"ipv6-mapped", "http://[::ffff:127.0.0.1]:" + c + "/"},
        {"metadata", "http://169.254.169.254/latest/meta-data/"},
        {"metadata-decimal", "http://2852039166/latest/meta-data/"},
        {"allowlist-suffix-confusion", "http://test.local.evil:" + allowedPort + "/ok"},
        {"allowlist-prefix-confusion", "http://eviltest.local:" + allowedPort + "/ok"},
        {"userinfo", "http://test.local@127.0.0.1:" + c + "/"},
        {"wrong-port", "http://test.local:" + c + "/ok"},
        {"wrong-scheme", "https://test.local:" + allowedPort + "/ok"},
        {"path-not-allowed", base + "/secret"},
        {"encoded-traversal", base + "/ok/%2e%2e/secret"},
        {"files-api", "https://api.anthropic.com/v1/files"},
    };
    for (String[] d : deniedUrls) {
      add(f, d[0], "web", null, "try { await fetch('" + d[1] + "'); return 'reached' } catch (e) { return 'refused' }",
          List.of("ok"), "refused and recorded", result("\"refused\"").and(denied("net")));
    }
    add(f, "case-folding-allowed", "web", null, "return (await fetch('http://TEST.LOCAL:" + allowedPort + "/ok')).status",
        List.of("ok"), "the same host, allowed", result("200"));
    add(f, "trailing-dot-allowed", "web", null, "return (await fetch('http://test.local.:" + allowedPort + "/ok')).status",
        List.of("ok"), "the same host, allowed", result("200"));
    add(f, "redirect-to-private", "web", null, "try { await fetch('" + base + "/redirect-private'); return 'reached' }"
        + " catch (e) { return 'refused' }", List.of("ok"), "the hop is re-checked", result("\"refused\"").and(denied("net")));
    add(f, "redirect-to-other-host", "web", null, "try { await fetch('" + base + "/redirect-evil'); return 'reached' }"
        + " catch (e) { return 'refused' }", List.of("ok"), "the hop is re-checked", result("\"refused\"").and(denied("net")));
    add(f, "credential-header-stripped", "web", null, "const r = await fetch('" + base + "/echo-auth', {headers:"
        + " {Authorization: 'Bearer stolen', Cookie: 'c=1', 'X-Api-Key': 'k'}}); return await r.text()",
        List.of("ok"), "the server saw no guest credentials", result("\"none\""));
    add(f, "oversized-response", "web", null, "try { await (await fetch('" + base + "/big')).text(); return 'read' }"
        + " catch (e) { return 'refused' }", List.of("ok"), "the response cap holds", result("\"refused\""));
    add(f, "request-flood", "web", null, "let refused = 0; for (let i = 0; i < 12; i++) { try { await fetch('" + base
        + "/ok') } catch (e) { refused++ } } return refused", List.of("ok"), "the per-run budget holds",
        s -> s.get("result").asInt() >= 7);
    add(f, "method-not-allowed", "web", null, "try { await fetch('" + base + "/ok', {method: 'POST', body: 'x'});"
        + " return 'sent' } catch (e) { return 'refused' }", List.of("ok"), "POST denied", result("\"refused\"").and(denied("net")));
    add(f, "net-off-by-default", null, null, "try { await fetch('" + base + "/ok'); return 'reached' } catch (e) {"
        + " return e.message }", List.of("ok"), "the default profile has no network", resultContains("net.enabled: false"));
  }

  // --- files ---------------------------------------------------------------------------------------

  private void files() {
    String f = "files";
    String[][] readDenied = {
        {"traversal", "../../../../etc/passwd"},
        {"absolute-host-path", "/etc/passwd"},
        {"proc-environ", "/proc/self/environ"},
        {"symlink-out-of-mount", "/deps/key"},
        {"dotfile", "/deps/.env"},
        {"dotfile-via-dotdot", "/deps/../deps/.env"},
        {"ssh-dir", "/deps/.ssh/id_rsa"},
    };
    for (String[] r : readDenied) {
      add(f, r[0], null, null, "try { return await fs.readFile('" + r[1] + "', 'utf8') } catch (e) { return e.code }",
          List.of("ok"), "refused", s -> s.get("result").asText().matches("E[A-Z]+"));
    }
    ok(f, "write-read-only-mount", "try { await fs.writeFile('/deps/new.txt', 'x'); return 'written' } catch (e) {"
        + " return e.code }", "\"EROFS\"");
    ok(f, "nul-in-path", "try { await fs.readFile('/workspace/a\\u0000b') } catch (e) { return e.code }", "\"EINVAL\"");
    ok(f, "backslash-path", "try { await fs.readFile('..\\\\..\\\\etc\\\\passwd') } catch (e) { return e.code }", "\"EINVAL\"");
    ok(f, "byte-quota", "const big = 'q'.repeat(1 << 20); try { for (let i = 0; i < 10; i++)"
        + " await fs.writeFile('/workspace/f' + i, big) } catch (e) { return e.code }", "\"EDQUOT\"");
    ok(f, "file-count-quota", "try { for (let i = 0; i < 1000; i++) await fs.writeFile('/workspace/n' + i, 'x') }"
        + " catch (e) { return e.code }", "\"EDQUOT\"");
    fails(f, "import-traversal", "return await import('../../../../etc/passwd')");
    add(f, "listing-hides-denied", null, null, "return await fs.readdir('/deps')", List.of("ok"),
        "dotfiles and escapes not listed", s -> !s.get("result").toString().contains(".env"));
  }
}
