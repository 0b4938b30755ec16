package dev.codemode.server.broker;

import dev.codemode.bindings.Naming;
import dev.codemode.bindings.ServerTools;
import dev.codemode.bindings.ToolDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of every downstream server's tools, and the names the sandbox uses for them:
 * {@code servers.<serverIdentifier>.<toolIdentifier>}, both from {@link Naming} so the sandbox and the
 * generated wrappers agree.
 *
 * @param servers each server's tools, by configured server name
 * @param serverIdentifiers configured server name → JS identifier
 */
public record Catalog(Map<String, ServerTools> servers, Map<String, String> serverIdentifiers) {
  /** An empty catalog (no servers). */
  public static final Catalog EMPTY = of(List.of());

  public Catalog {
    servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
    serverIdentifiers = Map.copyOf(serverIdentifiers);
  }

  /** A catalog over {@code tools}, with identifiers assigned by {@link Naming}. */
  public static Catalog of(List<ServerTools> tools) {
    Map<String, ServerTools> byName = new LinkedHashMap<>();
    tools.forEach(t -> byName.put(t.server(), t));
    return new Catalog(byName, Naming.serverIdentifiersFor(new ArrayList<>(byName.keySet())));
  }

  /** What {@code RunRequest.servers} wants: server identifier → tool identifier → exact tool name. */
  public Map<String, Map<String, String>> sandboxServers() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    servers.forEach((name, tools) -> {
      Map<String, String> idents = new LinkedHashMap<>();
      Naming.identifiersFor(tools.tools().stream().map(ToolDescriptor::name).toList())
          .forEach((tool, ident) -> idents.put(ident, tool));
      out.put(serverIdentifiers.get(name), idents);
    });
    return out;
  }

  /**
   * The configured server name the guest meant: the sandbox sends the server's identifier, generated
   * wrapper modules send its exact name; the identifier wins when both could apply.
   */
  public Optional<String> serverName(String sent) {
    for (Map.Entry<String, String> e : serverIdentifiers.entrySet()) {
      if (e.getValue().equals(sent)) {
        return Optional.of(e.getKey());
      }
    }
    return servers.containsKey(sent) ? Optional.of(sent) : Optional.empty();
  }

  /**
   * The exact name of the tool {@code sent} means on server {@code server} (a configured name): its exact
   * name, or its sandbox identifier ({@code getSum} for {@code get-sum}).
   */
  public Optional<String> toolName(String server, String sent) {
    if (tool(server, sent).isPresent()) {
      return Optional.of(sent);
    }
    ServerTools s = servers.get(server);
    if (s == null) {
      return Optional.empty();
    }
    return Naming.identifiersFor(s.tools().stream().map(ToolDescriptor::name).toList()).entrySet().stream()
        .filter(e -> e.getValue().equals(sent)).map(Map.Entry::getKey).findFirst();
  }

  /** The sandbox identifiers of server {@code server}'s tools (a configured name), in list order. */
  public List<String> toolIdentifiers(String server) {
    ServerTools s = servers.get(server);
    return s == null ? List.of()
        : List.copyOf(Naming.identifiersFor(s.tools().stream().map(ToolDescriptor::name).toList()).values());
  }

  /** The tool named exactly {@code tool} on server {@code server} (a configured name). */
  public Optional<ToolDescriptor> tool(String server, String tool) {
    ServerTools s = servers.get(server);
    return s == null ? Optional.empty() : s.tools().stream().filter(t -> t.name().equals(tool)).findFirst();
  }

  /** Every tool as {@code server.tool} with its descriptor, in server then tool order. */
  public List<Map.Entry<String, ToolDescriptor>> allTools() {
    List<Map.Entry<String, ToolDescriptor>> out = new ArrayList<>();
    servers.forEach((name, s) -> s.tools().forEach(t -> out.add(Map.entry(name, t))));
    return out;
  }
}
