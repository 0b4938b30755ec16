package dev.codemode.server.cli;

import dev.codemode.bindings.BindingsGenerator;
import dev.codemode.bindings.BindingsWriter;
import dev.codemode.bindings.GeneratedBindings;
import dev.codemode.bindings.SandboxTypes;
import dev.codemode.bindings.ServerTools;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.Profile;
import dev.codemode.policies.tools.ToolAllowlist;
import dev.codemode.server.Secrets;
import dev.codemode.server.broker.Broker;
import dev.codemode.server.broker.DownstreamServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code codemode bindings}: connects to every configured server, fetches its live tools and writes the
 * typed wrappers, the declarations of the other sandbox globals and a tsconfig; with a profile, only the
 * tools that profile's {@code tools.allow} lets a run call.
 */
final class BindingsCommand {
  private BindingsCommand() {}

  /** Exit code 0 when every server answered and the files were written; 1 when a server could not be reached. */
  static int run(CodemodeConfig config, Profile profile, Path outDir, PrintStream out, PrintStream err) throws IOException {
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
        ServerTools allowed = allowedOnly(s.tools(), profile);
        if (profile == null || !allowed.tools().isEmpty()) {
          tools.add(allowed);
        }
      }
      if (!failed.isEmpty()) {
        err.println("codemode: could not reach: " + String.join(", ", failed));
        return 1;
      }
      GeneratedBindings bindings = SandboxTypes.addTo(new BindingsGenerator().generate(tools));
      BindingsWriter.write(bindings, outDir);
      int count = tools.stream().mapToInt(t -> t.tools().size()).sum();
      out.println("codemode: wrote " + bindings.files().size() + " files (" + count + " tools from "
          + tools.size() + " servers" + (profile == null ? "" : ", as profile " + profile.name() + " allows") + ") to " + outDir
          + "; check scripts with: node " + outDir.resolve("typecheck.mjs") + " FILE...");
      return 0;
    }
  }

  /** {@code server} with only the tools {@code profile} allows (all of them without a profile). */
  private static ServerTools allowedOnly(ServerTools server, Profile profile) {
    if (profile == null) {
      return server;
    }
    ToolAllowlist allowed = ToolAllowlist.of(profile.tools().allow());
    return new ServerTools(server.server(), server.description(),
        server.tools().stream().filter(t -> allowed.allows(server.server(), t.name())).toList());
  }
}
