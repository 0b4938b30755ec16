package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Code the way models write it: static imports with a top-level return, module syntax found by parsing. */
class CodeModelsWriteTest extends RunnerFixture {
  @Test
  void staticImportsWithATopLevelReturnRun() {
    RunResult r = run("import { readFile as rf } from 'node:fs/promises';\nimport * as F from 'fs/promises';\n"
        + "import fsp, { writeFile } from 'fs/promises';\n"
        + "await writeFile('a.txt', 'hi');\nreturn [await rf('a.txt', 'utf8'), typeof F.stat, typeof fsp.readdir];");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals("[\"hi\",\"function\",\"function\"]", r.result().toString());
  }

  @Test
  void typeScriptWithImportsAndReturnRuns() {
    RunResult r = run("import type { X } from './types';\nimport { stat } from 'node:fs/promises';\n"
        + "const n: number = 3;\nreturn typeof stat + n;");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals("\"function3\"", r.result().toString());
  }

  @Test
  void importTextInsideATemplateStringStaysAScript() {
    RunResult r = run("const t = `\nimport x from \"y\"\n`;\nreturn t.trim();");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals("\"import x from \\\"y\\\"\"", r.result().toString());
  }

  @Test
  void linesAfterHoistedImportsKeepTheirNumbers() {
    RunResult r = run("import {\n  readFile\n} from 'node:fs/promises';\nconst o = null;\nreturn o.x;");
    assertEquals(RunStatus.ERROR, r.status());
    assertTrue(r.error().stack().contains("agent.js:5"), r.error().stack());
  }

  @Test
  void nodeBuiltInsAndPackagesAreRefusedWithWhatIsAvailable() {
    for (String spec : new String[] {"node:fs", "lodash"}) {
      RunResult r = run("const a = 1;\nimport x from '" + spec + "';\nreturn x;");
      assertEquals(RunStatus.ERROR, r.status());
      String m = r.error().message();
      assertTrue(m.contains("Cannot import '" + spec + "'") && m.contains("'node:fs/promises'")
          && m.contains("servers.<server>.<tool>"), m);
      assertTrue(r.error().stack().contains("agent.js:2"), r.error().stack());
    }
  }

  @Test
  void exportsStillMakeAModule() {
    RunResult r = run("import { readFile } from 'node:fs/promises';\nexport default typeof readFile;");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals("\"function\"", r.result().toString());
  }

  @Test
  void javaScriptTheEngineRefusesIsNotReportedAsTypeScript() {
    RunResult r = run("import fs from 'node:fs/promises';\nreturn 1;\nexport default 2;");
    assertEquals(RunStatus.ERROR, r.status());
    assertEquals("SyntaxError", r.error().type());
    assertNotNull(r.error().stack());
    assertTrue(!r.error().message().contains("agent.ts") && !r.error().stack().contains("agent.ts"), r.error().toString());
  }

  @Test
  void columnsOnLineOneAreTheAgentsOwn() {
    RunResult r = run("null.x");
    assertTrue(r.error().stack().startsWith("    at agent.js:1:1"), r.error().stack());
    RunResult thrown = run("const a = 1; throw new Error('x')");
    assertTrue(thrown.error().stack().startsWith("    at agent.js:1:20"), thrown.error().stack());
    RunResult syntax = run("const x = ;");
    assertTrue(syntax.error().stack().contains("agent.js:1:11"), syntax.error().stack());
  }
}
