package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The virtual file system as a run sees it: global fs, node:fs/promises, module imports, artifacts. */
class FilesInRunTest extends RunnerFixture {
  @Test
  void globalFsRoundTrip() {
    RunResult r = run("await fs.mkdir('data/deep', {recursive: true}); await fs.writeFile('data/deep/a.txt', 'hello');"
        + " const s = await fs.stat('/workspace/data/deep/a.txt'); return [await fs.readFile('data/deep/a.txt', 'utf8'),"
        + " s.size, await fs.readdir('data')]");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals("[\"hello\",5,[\"deep\"]]", r.result().toString());
  }

  @Test
  void moduleImportsFsPromisesAndARelativeFileWrittenInTheRun() {
    RunResult r = run("import { readFile, writeFile } from 'node:fs/promises';\n"
        + "await writeFile('lib.js', 'export const v = 5');\n"
        + "const m = await import('./lib.js');\n"
        + "export default m.v + (await readFile('lib.js', 'utf8')).length;");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals(5 + "export const v = 5".length(), r.result().asInt());
  }

  @Test
  void nodeErrorCodesReachTheGuest() {
    RunResult r = run("try { await fs.readFile('/workspace/missing.txt') } catch (e) { return [e.code, e instanceof Error] }");
    assertEquals("[\"ENOENT\",true]", r.result().toString());
    r = run("try { await fs.readFile('/etc/passwd') } catch (e) { return e.code }");
    assertEquals("\"EACCES\"", r.result().toString());
    assertEquals("fs", r.denials().get(0).kind());
  }

  @Test
  void workspaceIsFreshEveryRun() {
    run("await fs.writeFile('left-behind.txt', 'x'); return 1");
    RunResult r = run("return [await fs.readdir('/workspace'), await fs.readdir('/workspace/out')]");
    // /workspace/out is made for artifacts at the start of every run, empty.
    assertEquals("[[\"out\"],[]]", r.result().toString());
  }

  @Test
  void filesUnderOutAreKept() {
    RunResult r = run("await fs.writeFile('out/report.txt', 'done'); await fs.writeFile('scratch.txt', 'no');"
        + " return 'ok'");
    assertEquals(1, r.files().size(), r.files().toString());
    assertTrue(r.files().get(0).path().endsWith("out/report.txt"), r.files().get(0).path());
    assertEquals("done", new String(r.files().get(0).content(), StandardCharsets.UTF_8));
  }

  @Test
  void moduleErrorsPointAtTheAgentsLine() {
    RunResult r = run("import { stat } from 'node:fs/promises';\nconst x = 1;\nthrow new TypeError('in module ' + x);\nexport default 1;");
    assertEquals(RunStatus.ERROR, r.status());
    assertEquals("TypeError", r.error().type());
    assertTrue(String.valueOf(r.error().stack()).contains("agent.mjs:3"), String.valueOf(r.error().stack()));
  }
}
