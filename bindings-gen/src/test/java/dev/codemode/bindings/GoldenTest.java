package dev.codemode.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * generate() over the tool lists captured from the real npm servers must equal the files under
 * src/test/resources/golden byte for byte (and no file may be missing or extra).
 *
 * <p>After an intended change of the output, regenerate and review the diff:
 * {@code mvn -q -o -pl bindings-gen test -Dtest=GoldenTest -Dgolden.update=true}.
 * To refresh the captures themselves: {@code node testkit/capture-tools.mjs bindings-gen/src/test/resources/captured}.
 */
class GoldenTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  @Test
  void generatedFilesMatchGoldenFiles() throws Exception {
    GeneratedBindings bindings = new BindingsGenerator().generate(Captured.all());
    if (Boolean.getBoolean("golden.update")) {
      rewrite(bindings);
    }
    assertEquals(new TreeSet<>(bindings.files().keySet()), goldenPaths(), "set of generated files");
    for (Map.Entry<String, String> file : bindings.files().entrySet()) {
      String expected = Files.readString(GOLDEN.resolve(file.getKey()), StandardCharsets.UTF_8);
      assertEquals(expected, file.getValue(), "golden/" + file.getKey()
          + " differs; if intended, rerun with -Dgolden.update=true and review the diff");
    }
  }

  @Test
  void outputDoesNotDependOnInputOrder() throws Exception {
    List<ServerTools> servers = new ArrayList<>();
    for (ServerTools server : Captured.all()) {
      List<ToolDescriptor> tools = new ArrayList<>(server.tools());
      Collections.reverse(tools);
      servers.add(0, new ServerTools(server.server(), server.description(), tools));
    }
    assertEquals(new BindingsGenerator().generate(Captured.all()), new BindingsGenerator().generate(servers));
  }

  @Test
  void everyCapturedToolIsDeclaredAndWrapped() throws Exception {
    GeneratedBindings bindings = new BindingsGenerator().generate(Captured.all());
    int tools = 0;
    for (ServerTools server : Captured.all()) {
      String js = bindings.files().get("servers/" + server.server() + "/index.js");
      String dts = bindings.files().get("servers/" + server.server() + "/index.d.ts");
      for (Map.Entry<String, String> id : Naming.identifiersFor(
          server.tools().stream().map(ToolDescriptor::name).toList()).entrySet()) {
        assertTrue(js.contains("export function " + id.getValue() + "(args) { return callTool('"
            + server.server() + "', '" + id.getKey() + "', args ?? {}); }"), id.getKey());
        assertTrue(dts.contains("export declare function " + id.getValue() + "("), id.getKey());
        tools++;
      }
    }
    assertTrue(tools >= 30, "captured servers should list 30+ tools, got " + tools);
  }

  private static TreeSet<String> goldenPaths() throws IOException {
    TreeSet<String> paths = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(GOLDEN)) {
      walk.filter(Files::isRegularFile)
          .forEach(p -> paths.add(GOLDEN.relativize(p).toString().replace('\\', '/')));
    }
    return paths;
  }

  private static void rewrite(GeneratedBindings bindings) throws IOException {
    if (Files.exists(GOLDEN)) {
      try (Stream<Path> walk = Files.walk(GOLDEN)) {
        for (Path p : walk.sorted(Collections.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    BindingsWriter.write(bindings, GOLDEN);
  }
}
