package dev.codemode.bindings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The tool lists captured from the real npm servers by testkit/capture-tools.mjs. */
final class Captured {

  static final Path DIR = Path.of("src/test/resources/captured");
  static final List<String> SERVERS = List.of("everything", "filesystem", "memory");

  private Captured() {}

  /** All three captured servers. */
  static List<ServerTools> all() throws Exception {
    List<ServerTools> servers = new ArrayList<>();
    for (String name : SERVERS) {
      servers.add(server(name));
    }
    return servers;
  }

  static ServerTools server(String name) throws Exception {
    List<ServerTools> read = ToolsFile.read(DIR.resolve(name + ".json"));
    if (read.size() != 1 || !read.get(0).server().equals(name)) {
      throw new IllegalStateException("captured/" + name + ".json must hold exactly server " + name);
    }
    return read.get(0);
  }
}
