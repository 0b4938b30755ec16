package dev.codemode.server.bridge;

import dev.codemode.server.broker.Catalog;
import java.util.List;
import java.util.Optional;

/** The answer to a tool or server name nobody serves: what was meant, and what there is. */
final class UnknownNames {
  private static final int MAX_LISTED = 40;

  private UnknownNames() {}

  /**
   * Why {@code server.tool} cannot be called: an unknown server lists the configured ones, an unknown tool
   * that server's tools, each with the nearest name as "did you mean". {@code sentServer} is how the code named it.
   */
  static String tool(Catalog catalog, String server, String sentServer, String tool) {
    if (!catalog.servers().containsKey(server)) {
      List<String> known = catalog.servers().keySet().stream().map(s -> catalog.serverIdentifiers().get(s)).toList();
      if (known.isEmpty()) {
        return "no downstream server '" + sentServer + "' is configured";
      }
      return "no downstream server '" + sentServer + "' is configured" + hint(sentServer, known, "servers.")
          + " Configured (servers.<name>): " + listed(known);
    }
    String prefix = "servers." + catalog.serverIdentifiers().get(server) + ".";
    List<String> tools = catalog.toolIdentifiers(server);
    if (tools.isEmpty()) {
      return "server '" + server + "' has no tools";
    }
    return "server '" + server + "' has no tool '" + tool + "'" + hint(tool, tools, prefix) + " Its tools ("
        + prefix + "<tool>): " + listed(tools) + " codemode.describeTool('" + server + ".<tool>') shows one's arguments.";
  }

  /** For a refusal that names a server nobody configured: the nearest configured one, if any. */
  static String serverHint(Catalog catalog, String sentServer) {
    List<String> known = catalog.servers().keySet().stream().map(s -> catalog.serverIdentifiers().get(s)).toList();
    return NameHints.closest(sentServer, known).map(n -> "; did you mean servers." + n + "? Configured (servers.<name>): "
        + listed(known)).orElse("");
  }

  private static String hint(String typed, List<String> known, String prefix) {
    Optional<String> near = NameHints.closest(typed, known);
    return near.map(n -> "; did you mean " + prefix + n + "?").orElse(".");
  }

  private static String listed(List<String> names) {
    List<String> shown = names.size() <= MAX_LISTED ? names : names.subList(0, MAX_LISTED);
    return String.join(", ", shown) + (names.size() > MAX_LISTED
        ? " and " + (names.size() - MAX_LISTED) + " more (codemode.searchTools finds them)" : "") + ".";
  }
}
