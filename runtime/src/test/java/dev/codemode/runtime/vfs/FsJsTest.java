package dev.codemode.runtime.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.runtime.Denial;
import dev.codemode.runtime.DenialRule;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guest-side fs API (fs.js) as production wires it: through the prelude's bridge to the run's files. */
class FsJsTest {
  @TempDir Path root;
  private GuestHarness guest;

  @BeforeEach
  void setUp() throws Exception {
    guest = new GuestHarness(Fixtures.policy(Fixtures.hostTree(root), 64 * 1024, 100));
  }

  @AfterEach
  void tearDown() {
    guest.close();
  }

  @Test
  void textRoundTripAndNodeStyleOptions() {
    assertEquals("[\"h\u00e9 \u2603!\",\"h\u00e9 \u2603!\",8]", guest.run(String.join("\n",
        "await fs.writeFile('t.txt', 'h\u00e9 \u2603');",
        "await fs.appendFile('t.txt', '!');",
        "const bytes = await fs.readFile('t.txt');",
        "return [await fs.readFile('t.txt', 'utf8'), await fs.readFile('/workspace/t.txt', {encoding: 'utf-8'}),",
        "        bytes instanceof Uint8Array ? bytes.length : 'not bytes'];")));
  }

  @Test
  void binaryRoundTripsForEveryLengthAndByte() {
    assertEquals("\"ok\"", guest.run(String.join("\n",
        "for (const n of [0, 1, 2, 3, 4, 5, 255, 256, 1000]) {",
        "  const data = new Uint8Array(n);",
        "  for (let i = 0; i < n; i++) data[i] = (i * 7 + n) & 255;",
        "  await fs.writeFile('b' + n, data);",
        "  const back = await fs.readFile('b' + n);",
        "  if (back.length !== n) return 'length ' + n + ' -> ' + back.length;",
        "  for (let i = 0; i < n; i++) if (back[i] !== data[i]) return 'byte ' + i + ' of ' + n;",
        "}",
        "return 'ok';")));
  }

  @Test
  void arrayBufferViewsAndStringEncodings() {
    assertEquals("[\"cde\",\"AAEC/w==\",\"000102ff\",\"hi\",\"\u00ff\\u0001\"]", guest.run(String.join("\n",
        "const all = new Uint8Array([97, 98, 99, 100, 101, 102]);",
        "await fs.writeFile('view', new DataView(all.buffer, 2, 3));",
        "await fs.writeFile('ab', new Uint8Array([0, 1, 2, 255]).buffer);",
        "await fs.writeFile('b64', 'aGk=', 'base64');",
        "await fs.writeFile('latin', '\\u00ff\\u0001', {encoding: 'latin1'});",
        "return [await fs.readFile('view', 'utf8'), await fs.readFile('ab', 'base64'), await fs.readFile('ab', 'hex'),",
        "        await fs.readFile('b64', 'utf8'), await fs.readFile('latin', 'latin1')];")));
  }

  @Test
  void hostErrorsRejectWithNodeCodesAndTheRule() {
    String out = guest.run(String.join("\n",
        "const codes = [];",
        "for (const f of [() => fs.readFile('/deps/.env', 'utf8'), () => fs.writeFile('/deps/x', 'y'),",
        "                 () => fs.readFile('nope'), () => fs.readFile('/etc/passwd'), () => fs.readdir('/deps/config.json'),",
        "                 () => fs.mkdir('/workspace'), () => fs.readFile('/deps/innocent.txt')]) {",
        "  try { await f(); codes.push('resolved'); }",
        "  catch (e) { codes.push(e instanceof Error ? e.code : 'not an Error'); if (e.code === 'EACCES') codes.push(e.message); }",
        "}",
        "return codes;"));
    assertEquals("[\"EACCES\",\"EACCES: permission denied, open '/deps/.env' (deny_globs '**/.env')\",\"EROFS\",\"ENOENT\","
        + "\"EACCES\",\"EACCES: permission denied, open '/etc/passwd' (outside every mount)\",\"ENOTDIR\",\"EEXIST\","
        + "\"EACCES\",\"EACCES: permission denied, open '/deps/innocent.txt' (deny_globs '**/.env' on the host path)\"]", out);
    assertTrue(guest.denials().contains(new Denial(DenialRule.FS_READ_ONLY, "/deps/x", "read-only mount /deps")));
  }

  @Test
  void statReaddirMkdirRmLookLikeNode() {
    assertEquals("[\"/workspace/a\",null,3,true,false,true,[\"b:dir\",\"f:file\"],[\"b\",\"f\"],\"ENOENT\"]", guest.run(String.join("\n",
        "const first = await fs.mkdir('a/b', {recursive: true});",
        "const again = await fs.mkdir('a/b', {recursive: true});",
        "await fs.writeFile('a/f', 'abc');",
        "const s = await fs.stat('a/f');",
        "const d = await fs.stat('a');",
        "const typed = (await fs.readdir('a', {withFileTypes: true})).map(e => e.name + ':' + (e.isDirectory() ? 'dir' : e.isFile() ? 'file' : '?'));",
        "const names = await fs.readdir('a');",
        "await fs.rm('a', {recursive: true});",
        "let gone; try { await fs.stat('a'); gone = 'still there'; } catch (e) { gone = e.code; }",
        "return [first, again === undefined ? null : again, s.size, s.isFile() && s.mtime instanceof Date, s.isDirectory(),",
        "        d.isDirectory(), typed, names, gone];")));
  }

  @Test
  void quotaErrorLeavesNothingHalfWritten() {
    assertEquals("[\"EDQUOT\",\"ENOENT\",\"small\"]", guest.run(String.join("\n",
        "await fs.writeFile('keep', 'small');",
        "let code; try { await fs.writeFile('huge', new Uint8Array(70000)); } catch (e) { code = e.code; }",
        "let after; try { await fs.stat('huge'); } catch (e) { after = e.code; }",
        "try { await fs.appendFile('keep', new Uint8Array(70000)); } catch (e) {}",
        "return [code, after, await fs.readFile('keep', 'utf8')];")));
  }

  @Test
  void badArgumentsRejectWithTypeErrors() {
    assertEquals("[\"TypeError:ERR_INVALID_ARG_TYPE\",\"TypeError:ERR_INVALID_ARG_TYPE\",\"TypeError:ERR_INVALID_ARG_VALUE\"]",
        guest.run(String.join("\n",
            "const out = [];",
            "for (const f of [() => fs.readFile(42), () => fs.writeFile('x', {a: 1}), () => fs.readFile('x', 'utf16le')]) {",
            "  const p = f();",
            "  if (!(p instanceof Promise)) { out.push('threw synchronously'); continue; }",
            "  try { await p; out.push('resolved'); } catch (e) { out.push(e.name + ':' + e.code); }",
            "}",
            "return out;")));
  }

  @Test
  void theApiIsFrozenAndImmuneToLaterGlobalTampering() {
    assertEquals("[true,true,\"readFile\",\"abc\",3]", guest.run(String.join("\n",
        "'use strict';",
        "let replaced = 'no';",
        "try { fs.readFile = () => 'hacked'; } catch (e) { replaced = 'threw'; }",
        "await fs.writeFile('x', 'abc');",
        "globalThis.Uint8Array = function () { throw new Error('tampered'); };",
        "String.fromCharCode = () => 'tampered';",
        "const bytes = await fs.readFile('x');",
        "return [Object.isFrozen(fs), fs.promises === fs, fs.readFile.name, await fs.readFile('x', 'latin1'), bytes.length];")));
  }
}
