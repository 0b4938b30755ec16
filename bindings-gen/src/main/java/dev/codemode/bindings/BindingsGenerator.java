package dev.codemode.bindings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generates the sandbox's wrapper modules and TypeScript declarations from the servers' tool lists.
 * Output is byte-for-byte deterministic: servers and tools are ordered by exact name (input order
 * does not matter), and nothing depends on time or environment.
 */
public final class BindingsGenerator {

  private final SchemaToTypeScript converter;

  /** A generator with the default schema limits. */
  public BindingsGenerator() {
    this(new SchemaToTypeScript());
  }

  /** A generator with a given schema converter. */
  public BindingsGenerator(SchemaToTypeScript converter) {
    this.converter = converter;
  }

  /**
   * All files: {@code servers/<serverIdentifier>/index.js}, {@code servers/<serverIdentifier>/index.d.ts}
   * and {@code servers.d.ts}, identifiers per {@link Naming#serverIdentifiersFor}.
   *
   * @throws IllegalArgumentException if two servers share a name or a server lists a tool name twice
   */
  public GeneratedBindings generate(List<ServerTools> servers) {
    Map<String, ServerTools> byName = byName(servers);
    Map<String, String> serverIds = Naming.serverIdentifiersFor(new ArrayList<>(byName.keySet()));
    TreeMap<String, String> files = new TreeMap<>();
    StringBuilder global = new StringBuilder(ServerModule.HEADER)
        .append("\n/** The downstream MCP servers; each tool wrapper returns a Promise of the tool's result. */\n")
        .append("declare const servers: {");
    serverIds.forEach((name, id) -> {
      ServerTools server = byName.get(name);
      ServerModule module = new ServerModule(server, id, converter);
      String dir = "servers/" + id + "/";
      files.put(dir + "index.js", module.script());
      files.put(dir + "index.d.ts", module.declarationFile());
      JsDoc doc = new JsDoc().text(server.description()).gap()
          .text("MCP server " + JsText.doubleQuoted(name) + ".");
      global.append('\n').append(doc.render("  ")).append("  readonly ").append(id)
          .append(": typeof import(").append(JsText.singleQuoted("./" + dir + "index.js")).append(");");
    });
    global.append(serverIds.isEmpty() ? "};\n" : "\n};\n");
    files.put("servers.d.ts", global.toString());
    return new GeneratedBindings(files);
  }

  /**
   * The TypeScript declaration (types and JSDoc'd function) of one tool, as in its {@code index.d.ts},
   * assuming the server's base identifier ({@link Naming#serverIdentifier}).
   *
   * @throws IllegalArgumentException if the server has no such tool
   */
  public String describeTool(ServerTools server, String toolName) {
    return describeTool(server, Naming.serverIdentifier(server.server()), toolName);
  }

  /** As {@link #describeTool(ServerTools, String)}, with the server identifier resolved among all servers. */
  public String describeTool(ServerTools server, String serverIdentifier, String toolName) {
    return new ServerModule(server, serverIdentifier, converter).toolDeclaration(toolName);
  }

  private static Map<String, ServerTools> byName(List<ServerTools> servers) {
    Map<String, ServerTools> byName = new HashMap<>();
    for (ServerTools server : servers) {
      if (byName.put(server.server(), server) != null) {
        throw new IllegalArgumentException("two servers are named " + JsText.doubleQuoted(server.server()));
      }
    }
    return byName;
  }
}
