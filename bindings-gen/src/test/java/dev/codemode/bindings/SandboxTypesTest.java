package dev.codemode.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The written {@code typecheck.mjs} runs the testkit's real TypeScript compiler over the written
 * {@code tsconfig.json}: scripts shaped as models write them (static imports, top-level await and
 * return, every sandbox global) pass under {@code --strict}, and a wrong use of a global is still an error.
 */
class SandboxTypesTest {
  private static final String SCRIPT = """
      import { readFile, writeFile } from 'node:fs/promises';

      await writeFile('out/n.txt', '41');
      const n: number = Number(await readFile('out/n.txt', 'utf8'));
      const bytes: Uint8Array = await readFile('out/n.txt');
      const names: string[] = await fs.readdir('/workspace');
      const hits = await codemode.searchTools('sum');
      const signature: string = await codemode.describeTool(hits[0].name);
      const res = await fetch('https://api.github.com/repos/x/y', { headers: { accept: 'application/json' } });
      const body: unknown = res.ok ? await res.json() : await res.text();
      const timer = setTimeout((label: string) => console.log(label), 10, 'tick');
      clearTimeout(timer);
      queueMicrotask(() => console.warn('soon'));
      await new Promise((r) => setTimeout(r, 5));
      const sum = await servers.everything.getSum({ a: n, b: 1 });
      return { sum, size: bytes.length, names, signature, body };
      """;

  @TempDir
  static Path dir;

  @BeforeAll
  static void writeBindings() throws Exception {
    BindingsWriter.write(SandboxTypes.addTo(new BindingsGenerator().generate(new ArrayList<>(Captured.all()))), dir);
  }

  @Test
  void aScriptWithImportsAndATopLevelReturnTypeChecksStrictly() throws Exception {
    Path ts = Files.writeString(dir.resolve("scripts-ok.ts"), SCRIPT);
    Path js = Files.writeString(dir.resolve("scripts-ok.js"), SCRIPT.replace(": number", "").replace(": Uint8Array", "")
        .replace(": string[]", "").replace(": string", "").replace(": unknown", ""));
    NodeTool.Result result = typecheck(ts, js);
    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().contains("2 file(s) OK"), result.output());
  }

  @Test
  void aWrongUseOfAGlobalIsStillAnErrorAndTheReturnIsNot() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.ts"),
        "const text: number = await fs.readFile('a.txt', 'utf8');\nsetTimeout('code string', 5);\nreturn text;\n");
    NodeTool.Result result = typecheck(bad);
    assertEquals(1, result.exitCode(), result.output());
    assertTrue(result.output().contains("bad.ts(1,7): error TS2322"), result.output());
    assertTrue(result.output().contains("bad.ts(2,12): error TS2769"), result.output());
    assertFalse(result.output().contains("TS1108"), result.output());
  }

  private static NodeTool.Result typecheck(Path... scripts) throws Exception {
    List<String> args = new ArrayList<>(List.of(dir.resolve("typecheck.mjs").toString()));
    for (Path s : scripts) {
      args.add(s.toString());
    }
    // From the testkit's folder, where the typescript package is installed.
    return NodeTool.node(NodeTool.repoRoot().resolve("testkit"), args);
  }
}
