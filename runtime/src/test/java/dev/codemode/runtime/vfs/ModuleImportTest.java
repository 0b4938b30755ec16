package dev.codemode.runtime.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.DenialRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ES module imports through {@link SandboxFileSystem}: virtual modules, workspace files, and escapes. */
class ModuleImportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path root;
  private GuestHarness guest;

  @BeforeEach
  void setUp() throws Exception {
    guest = new GuestHarness(Fixtures.policy(Fixtures.hostTree(root), 1 << 20, 100));
  }

  @AfterEach
  void tearDown() {
    guest.close();
  }

  private void writeWorkspace(String path, String text) throws Exception {
    guest.ops.invoke("writeFile", JSON.createObjectNode().put("path", path).put("data", text));
  }

  private String importFails(String specifier) {
    PolyglotException e = assertThrows(PolyglotException.class,
        () -> guest.module("import x from '" + specifier + "'; export default String(x);"));
    assertTrue(e.isGuestException(), e.toString());
    assertFalse(e.getMessage().contains(Fixtures.SECRET), e.getMessage());
    assertFalse(e.getMessage().contains(root.toString()), "host path leaked: " + e.getMessage());
    System.out.println("IMPORT " + specifier + " -> " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void nodeFsPromisesAndBareFsPromisesImportTheGlobalFs() {
    String out = guest.module(String.join("\n",
        "import {readFile, writeFile} from 'node:fs/promises';",
        "import fsp from 'fs/promises';",
        "await writeFile('note.txt', 'hi');",
        "export default (await readFile('/workspace/note.txt', 'utf8')) + ':' + (fsp === globalThis.fs);"));
    assertEquals("hi:true", out);
  }

  @Test
  void relativeImportsResolveAgainstTheVirtualWorkspace() throws Exception {
    writeWorkspace("lib.js", "export default 'lib:' + import.meta.url;");
    guest.ops.invoke("mkdir", JSON.createObjectNode().put("path", "pkg"));
    writeWorkspace("pkg/a.js", "import b from './b.js'; export default 'a+' + b;");
    writeWorkspace("pkg/b.js", "export default 'b';");
    assertEquals("lib:file:///workspace/lib.js", guest.module("import x from './lib.js'; export default x;"));
    assertEquals("a+b", guest.module("import a from './pkg/a.js'; export default a;"));
    assertEquals("a+b", guest.module("import a from '/workspace/pkg/a.js'; export default a;"));
  }

  @Test
  void aModuleWrittenByTheGuestCanBeImportedDynamically() {
    assertEquals("\"dyn 7\"", guest.run(String.join("\n",
        "await fs.mkdir('gen', {recursive: true});",
        "await fs.writeFile('gen/m.js', 'export const n = 7;');",
        "const m = await import('./gen/m.js');",
        "return 'dyn ' + m.n;")));
  }

  @Test
  void readOnlyHostModulesImport() {
    assertEquals("from deps 42", guest.module(
        "import d, {answer} from '/deps/lib.js'; export default d + ' ' + answer;"));
  }

  @Test
  void registeredModulesResolveByExactSpecifierAndAmongThemselves() {
    guest.fileSystem.registerModule("codemode:bridge", "export const ping = () => 'pong';");
    guest.fileSystem.registerModule("servers/demo/index.js",
        "import {ping} from 'codemode:bridge'; import {t} from './types.js'; export const hello = () => ping() + t;");
    guest.fileSystem.registerModule("servers/demo/types.js", "export const t = '!';");
    assertEquals("pong!", guest.module("import {hello} from 'servers/demo/index.js'; export default hello();"));
    assertThrows(IllegalArgumentException.class, () -> guest.fileSystem.registerModule("../x.js", ""));
    assertThrows(IllegalArgumentException.class, () -> guest.fileSystem.registerModule("/etc/x.js", ""));
    assertThrows(IllegalArgumentException.class, () -> guest.fileSystem.registerModule("a/../../x.js", ""));
  }

  @Test
  void absoluteHostPathImportIsDeniedAsOutsideEveryMount() {
    importFails("/etc/passwd");
    assertEquals(List.of(new Denial(DenialRule.FS_MOUNT, "/etc/passwd", "outside every mount")), guest.journal.denials());
  }

  @Test
  void traversalImportIsDeniedAfterLexicalNormalization() {
    importFails("../../etc/passwd");
    importFails("./../../../../etc/hostname");
    assertTrue(guest.journal.denials().contains(new Denial(DenialRule.FS_MOUNT, "/etc/passwd", "outside every mount")));
    assertTrue(guest.journal.denials().contains(new Denial(DenialRule.FS_MOUNT, "/etc/hostname", "outside every mount")));
  }

  @Test
  void fileUrlImportIsDenied() {
    importFails("file:///etc/passwd");
    assertTrue(guest.journal.denials().contains(new Denial(DenialRule.FS_MOUNT, "/etc/passwd", "outside every mount")));
  }

  @Test
  void networkUrlImportIsRefused() {
    importFails("https://example.com/evil.js");
  }

  @Test
  void relativeImportNeverReadsTheJvmWorkingDirectory() throws Exception {
    Path realCwd = Path.of("").toAbsolutePath();
    Path bait = realCwd.resolve("target/vfs-bait.js");
    Files.createDirectories(bait.getParent());
    Fixtures.write(bait, "export default '" + Fixtures.SECRET + "';");
    try {
      String msg = importFails("./target/vfs-bait.js");
      assertTrue(msg.contains("Cannot find module"), msg);
    } finally {
      Files.deleteIfExists(bait);
    }
  }

  @Test
  void symlinkOutOfTheHostMountIsDeniedForImports() {
    String msg = importFails("/deps/escape.js");
    assertTrue(msg.contains("symlink leaves mount /deps"), msg);
    assertTrue(guest.journal.denials().contains(new Denial(DenialRule.FS_MOUNT, "/deps/escape.js", "symlink leaves mount /deps")));
  }

  @Test
  void jsonImportThroughAnEscapingSymlinkIsDenied() {
    PolyglotException e = assertThrows(PolyglotException.class,
        () -> guest.module("import x from '/deps/escape.json' with {type: 'json'}; export default JSON.stringify(x);"));
    assertFalse(e.getMessage().contains(Fixtures.SECRET));
  }

  @Test
  void deniedDotEnvCannotBeImported() {
    importFails("/deps/.env");
    importFails("/deps/innocent.txt");
    assertTrue(guest.journal.denials().contains(new Denial(DenialRule.FS_DENY_GLOB, "/deps/.env", "deny_globs '**/.env'")));
  }
}
