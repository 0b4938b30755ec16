package dev.codemode.server.quarantine;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code codemode quarantine list | show ID | export ID [--out FILE]}. */
public final class QuarantineCommand {
  private QuarantineCommand() {}

  /** Runs the command; {@code outFile} is where {@code export} writes (null: {@code ID.tar.gz} in the working folder). */
  public static int run(QuarantineStore store, List<String> words, String outFile, PrintStream out, PrintStream err) throws IOException {
    if (words.equals(List.of("list"))) {
      List<JsonNode> bundles = store.list();
      if (bundles.isEmpty()) {
        out.println("no quarantined runs");
      }
      for (JsonNode m : bundles) {
        out.println(m.path("run_id").asText() + "  " + m.path("quarantined_at").asText() + "  " + m.path("status").asText()
            + "  triggers=" + String.join(",", toList(m.path("triggers"))) + "  principal=" + m.path("principal").asText());
      }
      return 0;
    }
    if (words.size() != 2 || !List.of("show", "export").contains(words.get(0))) {
      err.println("usage: codemode quarantine [--config FILE] list | show ID | export ID [--out FILE]");
      return 2;
    }
    String id = words.get(1);
    Path bundle = store.find(id).orElse(null);
    if (bundle == null) {
      err.println("codemode quarantine: no bundle '" + id + "'");
      return 1;
    }
    if (words.get(0).equals("show")) {
      for (String name : QuarantineStore.FILES) {
        Path f = bundle.resolve(name);
        if (Files.isRegularFile(f)) {
          out.println("==> " + name + " <==");
          out.println(Files.readString(f, StandardCharsets.UTF_8).stripTrailing());
        }
      }
      return 0;
    }
    Path target = Path.of(outFile == null ? id + ".tar.gz" : outFile);
    try (OutputStream o = Files.newOutputStream(target)) {
      store.export(id, o);
    }
    out.println("exported " + id + " to " + target.toAbsolutePath());
    return 0;
  }

  private static List<String> toList(JsonNode array) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
