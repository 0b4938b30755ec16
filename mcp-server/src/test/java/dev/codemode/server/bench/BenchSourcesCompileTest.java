package dev.codemode.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.codemode.server.e2e.TsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks in {@code bench/} are run as single-file programs, outside the build: this keeps them compiling. */
class BenchSourcesCompileTest {
  @TempDir Path out;

  @Test
  void everyBenchmarkCompilesAgainstTheCurrentCode() throws Exception {
    List<String> args = new ArrayList<>(List.of("-proc:none", "-d", out.toString(), "-cp", System.getProperty("java.class.path")));
    try (Stream<Path> files = Files.list(TsClient.repoRoot().resolve("bench"))) {
      files.filter(p -> p.toString().endsWith(".java")).sorted().forEach(p -> args.add(p.toString()));
    }
    assertFalse(args.size() == 5, "no benchmark sources found");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null, args.toArray(String[]::new));
    assertEquals(0, status, "bench/*.java do not compile (javac's messages are on stderr above)");
  }
}
