package dev.codemode.runtime.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.runtime.Denial;
import dev.codemode.runtime.DenialRule;
import dev.codemode.runtime.RunJournal;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The polyglot FileSystem contract, called directly the way Truffle calls it. */
class SandboxFileSystemTest {
  @TempDir Path root;
  private Path deps;
  private RunJournal journal;
  private VirtualFiles files;
  private SandboxFileSystem fs;

  @BeforeEach
  void setUp() throws Exception {
    deps = Fixtures.hostTree(root);
    journal = new RunJournal();
    files = new VirtualFiles(Fixtures.policy(deps, 4096, 50), journal);
    fs = new SandboxFileSystem(files, 4096);
  }

  private String readAll(Path p) throws Exception {
    try (SeekableByteChannel ch = fs.newByteChannel(p, Set.of(StandardOpenOption.READ))) {
      ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // fill
      }
      return new String(buf.array(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void onlyFileUrisAndRegisteredSpecifiersParse() {
    assertEquals("/@modules/node:fs/promises", fs.parsePath(URI.create("node:fs/promises")).toString());
    assertEquals("/@modules/fs/promises", fs.parsePath("fs/promises").toString());
    assertEquals("/etc/passwd", fs.parsePath(URI.create("file:///etc/passwd")).toString());
    assertThrows(UnsupportedOperationException.class, () -> fs.parsePath(URI.create("https://example.com/a.js")));
    assertThrows(UnsupportedOperationException.class, () -> fs.parsePath(URI.create("file://evil-host/etc/passwd")));
    assertThrows(UnsupportedOperationException.class, () -> fs.parsePath(URI.create("node:child_process")));
    assertThrows(IllegalArgumentException.class, () -> fs.parsePath("a\0b"));
  }

  @Test
  void relativePathsStartAtTheVirtualWorkspace() throws Exception {
    Path rel = fs.parsePath("lib/x.js");
    assertFalse(rel.isAbsolute());
    assertEquals("/workspace/lib/x.js", fs.toAbsolutePath(rel).toString());
    assertEquals(URI.create("file:///workspace/lib/x.js"), rel.toUri());
    assertThrows(UnsupportedOperationException.class, rel::toFile);
    assertThrows(UnsupportedOperationException.class, () -> Files.readAllBytes(rel));
    assertThrows(UnsupportedOperationException.class, () -> fs.setCurrentWorkingDirectory(fs.parsePath("/")));
  }

  @Test
  void readsGoThroughThePolicy() throws Exception {
    assertEquals("{\"name\":\"demo\"}", readAll(fs.parsePath("/deps/config.json")));
    assertTrue(readAll(fs.parsePath("node:fs/promises")).contains("export default fs"));
    assertThrows(AccessDeniedException.class, () -> readAll(fs.parsePath("/deps/.env")));
    assertThrows(AccessDeniedException.class, () -> readAll(fs.parsePath("/deps/workspace/../../etc/passwd")));
    assertThrows(NoSuchFileException.class, () -> fs.checkAccess(fs.parsePath("missing.js"), Set.of(AccessMode.READ)));
    assertThrows(AccessDeniedException.class, () -> fs.checkAccess(fs.parsePath("/etc/passwd"), Set.of(AccessMode.READ)));
    assertTrue(journal.denials().contains(new Denial(DenialRule.FS_MOUNT, "/etc/passwd", "outside every mount")));
  }

  @Test
  void realPathsStayVirtualSoHostFoldersAndSymlinksStayHidden() throws Exception {
    assertEquals("/deps/alias.json", fs.toRealPath(fs.parsePath("/deps/sub/../alias.json")).toString());
    assertEquals("/workspace", fs.toRealPath(fs.parsePath(".")).toString());
    assertThrows(AccessDeniedException.class, () -> fs.toRealPath(fs.parsePath("/deps/escape.js")));
  }

  @Test
  void everyWriteIsRefusedAndRecorded() throws Exception {
    Path target = fs.parsePath("/workspace/new.js");
    for (Set<StandardOpenOption> opts : List.of(Set.of(StandardOpenOption.WRITE),
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), Set.of(StandardOpenOption.APPEND))) {
      assertThrows(AccessDeniedException.class, () -> fs.newByteChannel(target, opts));
    }
    assertThrows(AccessDeniedException.class, () -> fs.createDirectory(fs.parsePath("/workspace/d")));
    assertThrows(AccessDeniedException.class, () -> fs.delete(fs.parsePath("/deps/config.json")));
    assertThrows(AccessDeniedException.class,
        () -> fs.checkAccess(fs.parsePath("/workspace"), Set.of(AccessMode.WRITE)));
    assertThrows(AccessDeniedException.class,
        () -> fs.createSymbolicLink(fs.parsePath("/workspace/l"), fs.parsePath("/etc/passwd")));
    assertThrows(FsException.class, () -> files.stat("/workspace/new.js"));
    assertTrue(Files.exists(deps.resolve("config.json")));
    assertTrue(journal.denials().contains(new Denial(DenialRule.FS_READ_ONLY, "/workspace/new.js", "module loading is read-only")));
  }

  @Test
  void attributesAreBasicOnly() throws Exception {
    Map<String, Object> a = fs.readAttributes(fs.parsePath("/deps/config.json"), "size,isRegularFile,isDirectory");
    assertEquals(15L, a.get("size"));
    assertEquals(true, a.get("isRegularFile"));
    assertEquals(false, a.get("isDirectory"));
    assertEquals(true, fs.readAttributes(fs.parsePath("/"), "basic:*").get("isDirectory"));
    assertThrows(UnsupportedOperationException.class,
        () -> fs.readAttributes(fs.parsePath("/deps/config.json"), "unix:uid"));
  }

  @Test
  void directoryStreamsListVirtualChildrenWithoutDeniedNames() throws Exception {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> s = fs.newDirectoryStream(fs.parsePath("/deps"), p -> true)) {
      s.forEach(p -> names.add(p.toString()));
    }
    assertTrue(names.contains("/deps/config.json"), names.toString());
    assertFalse(names.contains("/deps/.env"), names.toString());
  }
}
