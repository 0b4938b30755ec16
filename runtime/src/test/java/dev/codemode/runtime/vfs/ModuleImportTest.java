package dev.codemode.runtime.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.DenialRule;
import dev.codemode.runtime.RunJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ES module imports in production runs, through {@link SandboxFileSystem}: virtual modules, workspace files, and escapes. */
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

  private String importFails(String specifier) {
    String message = guest.failure("import x from '" + specifier + "'; export default String(x);");
    assertFalse(message.contains(Fixtures.SECRET), message);
    assertFalse(message.contains(root.toString()), "host path leaked: " + message);
    return message;
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
    JsonNode imported = JSON.readTree(guest.run(String.join("\n",
        "await fs.writeFile('lib.js', \"export default 'lib:' + import.meta.url;\");",
        "await fs.mkdir('pkg');",
        "await fs.writeFile('pkg/a.js', \"import b from './b.js'; export default 'a+' + b;\");",
        "await fs.writeFile('pkg/b.js', \"export default 'b';\");",
        "return [(await import('./lib.js')).default, (await import('./pkg/a.js')).default,",
        "        (await import('/workspace/pkg/a.js')).default];")));
    assertEquals("lib:file:///workspace/lib.js", imported.get(0).asText());
    assertEquals("a+b", imported.get(1).asText());
    assertEquals("a+b", imported.get(2).asText());
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
  void bindingsUnderDepsImportTheBridgeModuleAndTheirOwnFiles() throws Exception {
    Path demo = Files.createDirectories(root.resolve("deps/servers/demo"));
    Fixtures.write(demo.resolve("index.js"), "import {callTool} from 'codemode:bridge'; import {t} from './types.js';"
        + " export const hello = () => (typeof callTool === 'function' ? 'pong' : 'no bridge') + t;");
    Fixtures.write(demo.resolve("types.js"), "export const t = '!';");
    assertEquals("pong!", guest.module("import {hello} from '/deps/servers/demo/index.js'; export default hello();"));
  }

  @Test
  void registeredModuleSpecifiersMustBeBareOrSchemeNames() {
    SandboxFileSystem fileSystem = new SandboxFileSystem(new VirtualFiles(Fixtures.policy(root, 1, 1),
        new RunJournal()), 1 << 20);
    assertThrows(IllegalArgumentException.class, () -> fileSystem.registerModule("../x.js", ""));
    assertThrows(IllegalArgumentException.class, () -> fileSystem.registerModule("/etc/x.js", ""));
    assertThrows(IllegalArgumentException.class, () -> fileSystem.registerModule("a/../../x.js", ""));
  }

  @Test
  void absoluteHostPathImportIsDeniedAsOutsideEveryMount() {
    importFails("/etc/passwd");
    assertEquals(List.of(new Denial(DenialRule.FS_MOUNT, "/etc/passwd", "outside every mount")), guest.denials());
  }

  @Test
  void traversalImportIsDeniedAfterLexicalNormalization() {
    importFails("../../etc/passwd");
    importFails("./../../../../etc/hostname");
    assertTrue(guest.denials().contains(new Denial(DenialRule.FS_MOUNT, "/etc/passwd", "outside every mount")));
    assertTrue(guest.denials().contains(new Denial(DenialRule.FS_MOUNT, "/etc/hostname", "outside every mount")));
  }

  @Test
  void fileUrlImportIsDenied() {
    importFails("file:///etc/passwd");
    assertTrue(guest.denials().contains(new Denial(DenialRule.FS_MOUNT, "/etc/passwd", "outside every mount")));
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
    assertTrue(guest.denials().contains(new Denial(DenialRule.FS_MOUNT, "/deps/escape.js", "symlink leaves mount /deps")));
  }

  @Test
  void jsonImportThroughAnEscapingSymlinkIsDenied() {
    String message = guest.failure("import x from '/deps/escape.json' with {type: 'json'}; export default JSON.stringify(x);");
    assertFalse(message.contains(Fixtures.SECRET));
  }

  @Test
  void deniedDotEnvCannotBeImported() {
    importFails("/deps/.env");
    importFails("/deps/innocent.txt");
    assertTrue(guest.denials().contains(new Denial(DenialRule.FS_DENY_GLOB, "/deps/.env", "deny_globs '**/.env'")));
  }
}
