package dev.codemode.server.cli;

import dev.codemode.bindings.BindingsGenerator;
import dev.codemode.bindings.BindingsWriter;
import dev.codemode.bindings.GeneratedBindings;
import dev.codemode.bindings.ServerTools;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.server.Secrets;
import dev.codemode.server.broker.Broker;
import dev.codemode.server.broker.DownstreamServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code codemode bindings}: connects to every configured server, fetches its live tools, writes the typed wrappers. */
final class BindingsCommand {
  private BindingsCommand() {}

  /** Exit code 0 when every server answered and the files were written; 1 when a server could not be reached. */
  static int run(CodemodeConfig config, Path outDir, PrintStream out, PrintStream err) throws IOException {
    if (config.servers().isEmpty()) {
      err.println("codemode: the configuration has no servers; nothing to generate");
      return 1;
    }
    try (Broker broker = Broker.start(config, Secrets.fromEnvironment(config))) {
      broker.startAll(true);
      List<ServerTools> tools = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      for (String name : config.servers().keySet()) {
        DownstreamServer s = broker.server(name).orElseThrow();
        if (!s.everStarted()) {
          failed.add(name + " (" + s.lastFailure() + ")");
        }
        tools.add(s.tools());
      }
      if (!failed.isEmpty()) {
        err.println("codemode: could not reach: " + String.join(", ", failed));
        return 1;
      }
      GeneratedBindings bindings = new BindingsGenerator().generate(tools);
      BindingsWriter.write(bindings, outDir);
      int count = tools.stream().mapToInt(t -> t.tools().size()).sum();
      out.println("codemode: wrote " + bindings.files().size() + " files (" + count + " tools from "
          + tools.size() + " servers) to " + outDir);
      return 0;
    }
  }
}
