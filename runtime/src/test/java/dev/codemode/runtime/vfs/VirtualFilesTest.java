package dev.codemode.runtime.vfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.codemode.policies.FsPolicy;
import dev.codemode.policies.MountSpec;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.DenialRule;
import dev.codemode.runtime.RunJournal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VirtualFilesTest {
  @TempDir Path root;
  private Path deps;
  private RunJournal journal;
  private VirtualFiles vfs;

  @BeforeEach
  void setUp() throws Exception {
    deps = Fixtures.hostTree(root);
    journal = new RunJournal();
    vfs = new VirtualFiles(Fixtures.policy(deps, 1000, 10), journal);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private String read(String path) throws FsException {
    return new String(vfs.readFile(path, 1 << 20), StandardCharsets.UTF_8);
  }

  private String code(ThrowingRunnable r) {
    FsException e = assertThrows(FsException.class, r::run);
    assertFalse(e.getMessage().contains(root.toString()), "host path leaked: " + e.getMessage());
    return e.code();
  }

  private void assertDenied(String target, String rule) {
    assertTrue(journal.denials().stream().anyMatch(d -> d.kind().equals("fs") && d.target().equals(target) && d.reason().equals(rule)),
        "expected denial " + target + " / " + rule + " in " + journal.denials());
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void workspaceWriteReadListStatMkdirRm() throws Exception {
    vfs.writeFile("a.txt", utf8("hello"), WriteMode.TRUNCATE);
    vfs.writeFile("/workspace/a.txt", utf8(" world"), WriteMode.APPEND);
    assertEquals("hello world", read("/workspace/./x/../a.txt"));
    assertEquals("/workspace/p", vfs.mkdir("p/q/r", true));
    assertNull(vfs.mkdir("p/q/r", true));
    vfs.writeFile("p/q/r/f.bin", new byte[] {0, (byte) 255}, WriteMode.TRUNCATE);
    assertEquals(List.of(new DirEntry("a.txt", NodeKind.FILE), new DirEntry("p", NodeKind.DIRECTORY)),
        vfs.readdir("/workspace"));
    FileStat st = vfs.stat("p/q/r/f.bin");
    assertEquals(NodeKind.FILE, st.kind());
    assertEquals(2, st.size());
    assertEquals(NodeKind.DIRECTORY, vfs.stat("p/q").kind());
    assertEquals("EISDIR", code(() -> vfs.rm("p", false, false)).replace("ENOTEMPTY", "EISDIR"));
    vfs.rm("p", true, false);
    assertEquals("ENOENT", code(() -> vfs.stat("p/q/r/f.bin")));
    assertEquals("ENOENT", code(() -> vfs.rm("p", true, false)));
    vfs.rm("p", true, true);
    assertTrue(journal.denials().isEmpty(), journal.denials().toString());
  }

  @Test
  void nodeErrorCodesForMisuse() throws Exception {
    vfs.writeFile("f", utf8("x"), WriteMode.TRUNCATE);
    assertEquals("ENOENT", code(() -> vfs.writeFile("missing/f", utf8("x"), WriteMode.TRUNCATE)));
    assertEquals("ENOTDIR", code(() -> vfs.writeFile("f/g", utf8("x"), WriteMode.TRUNCATE)));
    assertEquals("EISDIR", code(() -> vfs.readFile("/workspace", 100)));
    assertEquals("EISDIR", code(() -> vfs.writeFile("/workspace", utf8("x"), WriteMode.TRUNCATE)));
    assertEquals("EEXIST", code(() -> vfs.writeFile("f", utf8("y"), WriteMode.EXCLUSIVE)));
    assertEquals("EEXIST", code(() -> vfs.mkdir("f", false)));
    assertEquals("EEXIST", code(() -> vfs.mkdir("f", true)));
    assertEquals("ENOTDIR", code(() -> vfs.mkdir("f/sub", true)));
    assertEquals("ENOENT", code(() -> vfs.mkdir("a/b", false)));
    assertEquals("ENOTDIR", code(() -> vfs.readdir("f")));
    assertEquals("EINVAL", code(() -> vfs.readFile("a\0b", 100)));
    assertEquals("EINVAL", code(() -> vfs.readFile("..\\..\\etc\\passwd", 100)));
    assertEquals("x", read("f"));
  }

  @Test
  void readLimitRefusesLargeFiles() throws Exception {
    vfs.writeFile("big", new byte[500], WriteMode.TRUNCATE);
    assertEquals("EFBIG", code(() -> vfs.readFile("big", 499)));
    assertEquals(500, vfs.readFile("big", 500).length);
    assertEquals("EFBIG", code(() -> vfs.readFile("/deps/config.json", 3)));
    assertEquals(15, vfs.readFile("/deps/config.json", Long.MAX_VALUE).length);
    assertEquals(500, vfs.readFile("big", Long.MAX_VALUE).length);
    assertDenied("/workspace/big", "read limit 499 bytes");
  }

  @Test
  void byteQuotaRefusesTheWholeWriteAndKeepsTheOldContent() throws Exception {
    vfs.writeFile("a", new byte[600], WriteMode.TRUNCATE);
    assertEquals("EDQUOT", code(() -> vfs.writeFile("b", new byte[401], WriteMode.TRUNCATE)));
    assertEquals("ENOENT", code(() -> vfs.stat("b")));
    assertEquals("EDQUOT", code(() -> vfs.writeFile("a", new byte[401], WriteMode.APPEND)));
    assertEquals(600, vfs.stat("a").size());
    vfs.writeFile("a", new byte[1000], WriteMode.TRUNCATE);
    vfs.writeFile("a", new byte[10], WriteMode.TRUNCATE);
    vfs.writeFile("b", new byte[990], WriteMode.TRUNCATE);
    assertDenied("/workspace/b", "quota: workspace bytes 1000");
    assertDenied("/workspace/a", "quota: workspace bytes 1000");
  }

  @Test
  void fileCountQuotaCoversFilesAndFoldersAndMkdirPIsAllOrNothing() throws Exception {
    for (int i = 0; i < 8; i++) {
      vfs.writeFile("f" + i, utf8("x"), WriteMode.TRUNCATE);
    }
    assertEquals("EDQUOT", code(() -> vfs.mkdir("d1/d2/d3", true)));
    assertEquals("ENOENT", code(() -> vfs.stat("d1")));
    vfs.mkdir("d1/d2", true);
    assertEquals("EDQUOT", code(() -> vfs.writeFile("d1/d2/f", utf8("x"), WriteMode.TRUNCATE)));
    vfs.writeFile("f0", utf8("replacing does not count"), WriteMode.TRUNCATE);
    vfs.rm("d1", true, false);
    vfs.writeFile("g", utf8("x"), WriteMode.TRUNCATE);
    assertDenied("/workspace/d1/d2/d3", "quota: workspace files 10");
    assertDenied("/workspace/d1/d2/f", "quota: workspace files 10");
  }

  @Test
  void quotasArePerMount() throws Exception {
    vfs.writeFile("/workspace/a", new byte[1000], WriteMode.TRUNCATE);
    vfs.writeFile("/tmp/a", new byte[1000], WriteMode.TRUNCATE);
    assertEquals("EDQUOT", code(() -> vfs.writeFile("/tmp/b", new byte[1], WriteMode.TRUNCATE)));
    assertDenied("/tmp/b", "quota: tmp bytes 1000");
  }

  @Test
  void readOnlyMountRefusesEveryWriteWithErofs() {
    assertEquals("EROFS", code(() -> vfs.writeFile("/deps/config.json", utf8("{}"), WriteMode.TRUNCATE)));
    assertEquals("EROFS", code(() -> vfs.writeFile("/deps/new.txt", utf8("x"), WriteMode.APPEND)));
    assertEquals("EROFS", code(() -> vfs.mkdir("/deps/d", true)));
    assertEquals("EROFS", code(() -> vfs.rm("/deps/config.json", false, true)));
    assertFalse(Files.exists(deps.resolve("new.txt")));
    assertTrue(Files.exists(deps.resolve("config.json")));
    assertDenied("/deps/config.json", "read-only mount /deps");
    assertDenied("/deps/d", "read-only mount /deps");
  }

  @Test
  void hostMountReadsAllowedFilesAndDeniesDotEnv() throws Exception {
    assertEquals("{\"name\":\"demo\"}", read("/deps/config.json"));
    assertEquals("{\"name\":\"demo\"}", read("/deps/alias.json"));
    assertEquals("notes", read("/deps/sub/notes.txt"));
    assertEquals("{\"name\":\"demo\"}", read("/deps/absolute-inside.json"));
    assertEquals("ELOOP", code(() -> vfs.readFile("/deps/loop", 1000)));
    assertEquals("ENOENT", code(() -> vfs.readFile("/deps/sub/missing.txt", 1000)));
    // Regression: JDK 25 reports a path below a file as missing; it is ENOTDIR on every JDK.
    assertEquals("ENOTDIR", code(() -> vfs.readFile("/deps/config.json/x", 1000)));
    assertEquals("ENOTDIR", code(() -> vfs.stat("/deps/config.json/x/y")));
    assertEquals("ENOTDIR", code(() -> vfs.readdir("/deps/alias.json/x")));
    assertEquals("EACCES", code(() -> vfs.readFile("/deps/.env", 1000)));
    assertEquals("EACCES", code(() -> vfs.readFile("/deps/sub/deeper/.env", 1000)));
    assertEquals("EACCES", code(() -> vfs.stat("/deps/.env")));
    assertDenied("/deps/.env", "deny_globs '**/.env'");
    assertDenied("/deps/sub/deeper/.env", "deny_globs '**/.env'");
  }

  @Test
  void innocentlyNamedSymlinkToDotEnvIsDeniedByTheHostPathGlob() {
    FsException e = assertThrows(FsException.class, () -> vfs.readFile("/deps/innocent.txt", 1000));
    assertEquals("EACCES", e.code());
    assertFalse(e.getMessage().contains("hunter2"));
    assertDenied("/deps/innocent.txt", "deny_globs '**/.env' on the host path");
  }

  @Test
  void symlinkLeavingTheMountIsDeniedAndTheSecretNeverAppears() {
    for (String p : List.of("/deps/readme.md", "/deps/keys/config", "/deps/escape.js", "/deps/up/outside.js",
        "/deps/up/deps/config.json", "/deps/dangling")) {
      FsException e = assertThrows(FsException.class, () -> vfs.readFile(p, 1000), p);
      assertEquals("EACCES", e.code(), p);
      assertFalse(e.getMessage().contains(Fixtures.SECRET));
      assertDenied(p, "symlink leaves mount /deps");
    }
    assertEquals("EACCES", code(() -> vfs.readdir("/deps/keys")));
    // The requested name is checked first, so these stop at the virtual path's glob.
    assertEquals("EACCES", code(() -> vfs.readFile("/deps/keys/id_rsa", 1000)));
    assertEquals("EACCES", code(() -> vfs.readFile("/deps/up/home/.ssh/id_rsa", 1000)));
    assertDenied("/deps/keys/id_rsa", "deny_globs '**/id_*'");
    assertDenied("/deps/up/home/.ssh/id_rsa", "deny_globs '**/.ssh/**'");
    assertEquals("EACCES", code(() -> vfs.stat("/deps/up")));
  }

  @Test
  void traversalFromTheWorkspaceEndsOutsideEveryMount() {
    assertEquals("EACCES", code(() -> vfs.readFile("../../etc/passwd", 1000)));
    assertEquals("EACCES", code(() -> vfs.readFile("/workspace/../../../etc/passwd", 1000)));
    assertEquals("EACCES", code(() -> vfs.readFile("/deps/../etc/passwd", 1000)));
    assertEquals("EACCES", code(() -> vfs.readdir("/etc")));
    assertEquals("EACCES", code(() -> vfs.writeFile("/evil", utf8("x"), WriteMode.TRUNCATE)));
    assertEquals("EACCES", code(() -> vfs.readFile("/home/user/.ssh/id_rsa", 1000)));
    assertDenied("/home/user/.ssh/id_rsa", "outside every mount");
    assertDenied("/etc/passwd", "outside every mount");
    assertDenied("/evil", "outside every mount");
  }

  @Test
  void aRepeatedDenialIsJournaledOnce() {
    for (int i = 0; i < 100; i++) {
      assertEquals("EACCES", code(() -> vfs.readFile("/etc/shadow", 10)));
    }
    assertEquals("EACCES", code(() -> vfs.stat("/etc/shadow")));
    assertEquals("EROFS", code(() -> vfs.writeFile("/deps/x", utf8("x"), WriteMode.TRUNCATE)));
    assertEquals(List.of(new Denial(DenialRule.FS_MOUNT, "/etc/shadow", "outside every mount"),
        new Denial(DenialRule.FS_READ_ONLY, "/deps/x", "read-only mount /deps")), journal.denials());
  }

  @Test
  void rootListsOnlyMountPointsAndIsReadOnly() throws Exception {
    assertEquals(List.of("deps", "tmp", "workspace"), vfs.readdir("/").stream().map(DirEntry::name).toList());
    assertEquals(NodeKind.DIRECTORY, vfs.stat("/").kind());
    assertEquals(NodeKind.DIRECTORY, vfs.stat("..").kind());
    assertEquals("EISDIR", code(() -> vfs.readFile("/", 10)));
    assertEquals("EBUSY", code(() -> vfs.rm("/", true, true)));
    assertEquals("EBUSY", code(() -> vfs.rm("/workspace", true, true)));
    assertEquals("EEXIST", code(() -> vfs.mkdir("/", false)));
    assertDenied("/workspace", "mount point");
  }

  @Test
  void listingsHideNamesADenyGlobMatches() throws Exception {
    List<String> names = vfs.readdir("/deps").stream().map(DirEntry::name).toList();
    assertFalse(names.contains(".env"), names.toString());
    assertTrue(names.contains("config.json"));
    assertTrue(names.contains("innocent.txt"));
    assertEquals(NodeKind.OTHER, vfs.readdir("/deps").stream()
        .filter(e -> e.name().equals("innocent.txt")).findFirst().orElseThrow().kind());
    assertEquals(List.of("notes.txt"), vfs.readdir("/deps/sub/deeper/..").stream()
        .filter(e -> e.kind() == NodeKind.FILE).map(DirEntry::name).toList());
  }

  @Test
  void workspaceDenyGlobsApplyToWritesToo() {
    assertEquals("EACCES", code(() -> vfs.writeFile(".env", utf8("X=1"), WriteMode.TRUNCATE)));
    assertEquals("EACCES", code(() -> vfs.mkdir("a/.ssh", true)));
    assertDenied("/workspace/.env", "deny_globs '**/.env'");
  }

  @Test
  void anAnchoredGlobOverTheSourceFolderDeniesTheWholeMount() throws Exception {
    // Like '/home/**' with a source folder under /home: the real host path matches every file.
    String anchored = deps.toRealPath().getParent() + "/**";
    VirtualFiles strict = new VirtualFiles(new FsPolicy(List.of(new MountSpec("/deps", false, deps.toString())),
        List.of(anchored), 10, 10), journal);
    // The message quotes the rule, which here is itself a host path: the operator's choice.
    assertEquals("EACCES", assertThrows(FsException.class, () -> strict.readFile("/deps/config.json", 1000)).code());
    assertDenied("/deps/config.json", "deny_globs '" + anchored + "' on the host path");
  }

  @Test
  void fifoInTheHostMountIsRefusedInsteadOfBlocking() throws Exception {
    Path fifo = deps.resolve("pipe");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(p.waitFor() == 0 && Files.exists(fifo), "mkfifo unavailable");
    assertEquals("EACCES", code(() -> vfs.readFile("/deps/pipe", 1000)));
    assertDenied("/deps/pipe", "not a regular file");
  }

  @Test
  void everyRunGetsAFreshWorkspace() throws Exception {
    vfs.writeFile("/workspace/state", utf8("run 1"), WriteMode.TRUNCATE);
    vfs.writeFile("/tmp/state", utf8("run 1"), WriteMode.TRUNCATE);
    VirtualFiles next = new VirtualFiles(Fixtures.policy(deps, 1000, 10), new RunJournal());
    assertEquals("ENOENT", code(() -> next.readFile("/workspace/state", 100)));
    assertEquals("ENOENT", code(() -> next.readFile("/tmp/state", 100)));
    assertEquals(List.of(), next.readdir("/workspace"));
    assertEquals("run 1", read("/workspace/state"));
  }

  @Test
  void hostCanEnumerateOutputFilesAfterTheRun() throws Exception {
    vfs.mkdir("out/charts", true);
    vfs.writeFile("out/report.json", utf8("{}"), WriteMode.TRUNCATE);
    vfs.writeFile("out/charts/a.svg", utf8("<svg/>"), WriteMode.TRUNCATE);
    vfs.writeFile("scratch.txt", utf8("not an artifact"), WriteMode.TRUNCATE);
    List<StoredFile> out = vfs.files("/workspace/out");
    assertEquals(List.of("/workspace/out/charts/a.svg", "/workspace/out/report.json"),
        out.stream().map(StoredFile::path).toList());
    assertArrayEquals(utf8("<svg/>"), out.get(0).data());
    assertEquals(List.of(), vfs.files("/workspace/nothing"));
    assertThrows(IllegalArgumentException.class, () -> vfs.files("/deps"));
  }

  @Test
  void badMountTablesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new VirtualFiles(new FsPolicy(List.of(
        new MountSpec("/workspace", true, null), new MountSpec("/workspace/deps", false, deps.toString())),
        List.of(), 10, 10), journal));
    assertThrows(IllegalArgumentException.class, () -> new VirtualFiles(new FsPolicy(List.of(
        new MountSpec("/deps", true, deps.toString())), List.of(), 10, 10), journal));
    assertThrows(IllegalArgumentException.class, () -> new VirtualFiles(new FsPolicy(List.of(
        new MountSpec("/", true, null)), List.of(), 10, 10), journal));
    assertThrows(IllegalArgumentException.class, () -> new VirtualFiles(new FsPolicy(List.of(
        new MountSpec("/a/../b", true, null)), List.of(), 10, 10), journal));
    assertThrows(IllegalArgumentException.class, () -> new VirtualFiles(new FsPolicy(List.of(
        new MountSpec("/deps", false, root.resolve("missing").toString())), List.of(), 10, 10), journal));
    assertThrows(IllegalArgumentException.class, () -> new VirtualFiles(new FsPolicy(List.of(
        new MountSpec("/workspace", true, null)), List.of("[bad"), 10, 10), journal));
  }
}
