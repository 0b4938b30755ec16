package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/codemode} builds the server jar when sources changed, and then not again. */
class LauncherBuildIT {
  @Test
  void aChangeInAModuleTheServerDependsOnIsBuiltOnceNotOnEveryStart(@TempDir Path tree) throws Exception {
    // Regression: Maven leaves codemode.jar untouched when only a module it depends on changed, so the
    // launcher found the sources newer than the jar and ran Maven again at every start (4-8 s each).
    // The launcher runs here in a tree of its own, with an mvn on the PATH that only counts its calls.
    Path launcher = tree.resolve("bin/codemode");
    Files.createDirectories(launcher.getParent());
    Files.copy(TsClient.repoRoot().resolve("bin/codemode"), launcher);
    Path jar = tree.resolve("mcp-server/target/codemode.jar");
    Files.createDirectories(jar.getParent());
    Files.write(jar, new byte[0]);
    Files.writeString(tree.resolve("pom.xml"), "<project/>");
    Path source = tree.resolve("runtime/src/main/java/Changed.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, "class Changed {}");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(120)));
    Files.setLastModifiedTime(tree.resolve("pom.xml"), FileTime.from(Instant.now().minusSeconds(120)));
    Path calls = tree.resolve("mvn-calls.log");
    Path fakeMvn = tree.resolve("fake-bin/mvn");
    Files.createDirectories(fakeMvn.getParent());
    Files.writeString(fakeMvn, "#!/usr/bin/env bash\necho \"$*\" >> '" + calls + "'\n");
    Files.setPosixFilePermissions(fakeMvn, PosixFilePermissions.fromString("rwxr-xr-x"));

    for (int start = 0; start < 3; start++) {
      ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "hash-token")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("PATH", fakeMvn.getParent() + ":" + System.getenv("PATH"));
      pb.environment().put("CODEMODE_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
      pb.environment().remove("CODEMODE_NO_BUILD");
      Process p = pb.start();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not end");
    }
    List<String> builds = Files.readAllLines(calls);
    assertEquals(1, builds.size(), "Maven ran at these starts: " + builds);
    assertTrue(builds.get(0).contains("-pl mcp-server -am"), builds.get(0));
  }
}
