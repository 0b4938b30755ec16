package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/codemode} as an operator would; its exit code and its output (stdout and stderr together). */
record CodemodeCli(int exit, String output) {
  static CodemodeCli run(Path workDir, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(TsClient.repoRoot().resolve("bin/codemode").toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(workDir, "cli", ".out");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("CODEMODE_NO_BUILD", "1");
    pb.environment().putAll(env);
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/codemode " + String.join(" ", args) + " did not end");
    return new CodemodeCli(p.exitValue(), Files.readString(out));
  }
}
