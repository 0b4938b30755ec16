package dev.codemode.server.cli;

import dev.codemode.server.artifacts.ArtifactStore;
import dev.codemode.server.artifacts.StoredArtifact;
import dev.codemode.server.audit.RunCaller;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code codemode artifacts list | get URI [--out FILE]}: what {@code codemode run} kept under
 * {@code /workspace/out}, read from the configuration's artifact store as the local principal.
 */
final class ArtifactsCommand {
  static final String USAGE = "usage: codemode artifacts [--config FILE] list | get artifact://RUN_ID/NAME [--out FILE]";

  private ArtifactsCommand() {}

  /** Lists the local runs' artifacts (newest run first) or writes one to {@code outFile} (null: stdout). */
  static int run(ArtifactStore store, List<String> words, String outFile, PrintStream out, PrintStream err) throws IOException {
    String principal = RunCaller.LOCAL.principal();
    if (words.equals(List.of("list"))) {
      List<StoredArtifact> all = store.list(principal);
      if (all.isEmpty()) {
        out.println("no artifacts (a run keeps the files it writes under /workspace/out/)");
      }
      for (StoredArtifact a : all) {
        out.println(a.uri() + "  " + a.bytes() + " bytes  " + a.mimeType() + "  " + Instant.ofEpochMilli(a.storedAtMs()));
      }
      return 0;
    }
    if (words.size() != 2 || !words.get(0).equals("get")) {
      err.println(USAGE);
      return 2;
    }
    Optional<Map.Entry<StoredArtifact, byte[]>> found = store.read(words.get(1), principal);
    if (found.isEmpty()) {
      err.println("codemode artifacts: no artifact '" + words.get(1) + "' ('codemode artifacts list' shows what there is)");
      return 1;
    }
    byte[] bytes = found.get().getValue();
    if (outFile == null) {
      out.write(bytes);
      out.flush();
    } else {
      Files.write(Path.of(outFile), bytes);
      err.println("codemode: wrote " + bytes.length + " bytes to " + outFile);
    }
    return 0;
  }
}
