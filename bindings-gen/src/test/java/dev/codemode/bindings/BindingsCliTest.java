package dev.codemode.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BindingsCliTest {

  @TempDir
  Path tmp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return BindingsCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path toolsFile(String json) throws Exception {
    Path file = tmp.resolve("tools.json");
    Files.writeString(file, json.replace('\'', '"'));
    return file;
  }

  @Test
  void writesTheSameFilesAsTheGenerator() throws Exception {
    Path out = tmp.resolve("out");
    assertEquals(0, run("--tools", Captured.DIR.resolve("memory.json").toString(), "--out", out.toString()), err());
    GeneratedBindings expected = SandboxTypes.addTo(new BindingsGenerator().generate(java.util.List.of(Captured.server("memory"))));
    for (var file : expected.files().entrySet()) {
      assertEquals(file.getValue(), Files.readString(out.resolve(file.getKey())), file.getKey());
    }
    try (Stream<Path> files = Files.walk(out)) {
      assertEquals(expected.files().size(), files.filter(Files::isRegularFile).count());
    }
  }

  @Test
  void hostileServerNamesStayInsideTheOutputDirectory() throws Exception {
    Path out = tmp.resolve("nested/out");
    Path file = toolsFile("{'servers':{'../../escape':{'tools':[]},'/abs/x':{'tools':[]},'..':{'tools':[]}}}");
    assertEquals(0, run("--tools", file.toString(), "--out", out.toString()), err());
    try (Stream<Path> all = Files.walk(tmp)) {
      assertTrue(all.filter(Files::isRegularFile)
          .allMatch(p -> p.equals(file) || p.startsWith(out)), "a file was written outside --out");
    }
    assertTrue(Files.exists(out.resolve("servers/escape/index.js")));
    assertTrue(Files.exists(out.resolve("servers/absX/index.js")));
    assertTrue(Files.exists(out.resolve("servers/server/index.js")));
  }

  @Test
  void writerRefusesPathsOutsideTheRoot() {
    Path root = tmp.toAbsolutePath();
    for (String bad : new String[] {"../x", "a/../../x", "/etc/x", "a\\b", "", "a//b", "./a"}) {
      assertThrows(IllegalArgumentException.class, () -> BindingsWriter.resolveInside(root, bad), bad);
    }
    assertEquals(root.resolve("servers/a/index.js"), BindingsWriter.resolveInside(root, "servers/a/index.js"));
  }

  @Test
  void badJsonIsReportedWithExitCode2() throws Exception {
    assertEquals(2, run("--tools", toolsFile("{'servers': [").toString(), "--out", tmp.resolve("o").toString()));
    assertTrue(err().contains("not valid JSON"), err());
    assertFalse(Files.exists(tmp.resolve("o")));
  }

  @Test
  void structuralErrorsNameTheLocation() throws Exception {
    assertEquals(2, run("--tools", toolsFile("{'servers':{'s':{'tools':[{'name':'a','inputSchema':{}},{'name':3}]}}}").toString(),
        "--out", tmp.resolve("o").toString()));
    assertTrue(err().contains("servers.\"s\".tools[1].name: must be a string"), err());
  }

  @Test
  void missingServersAndInputSchemaAreReported() throws Exception {
    assertEquals(2, run("--tools", toolsFile("{'tools':[]}").toString(), "--out", tmp.resolve("o").toString()));
    assertTrue(err().contains("\"servers\" must be an object"), err());
    assertEquals(2, run("--tools", toolsFile("{'servers':{'s':{'tools':[{'name':'a'}]}}}").toString(),
        "--out", tmp.resolve("o").toString()));
    assertTrue(err().contains("servers.\"s\".tools[0].inputSchema: must be a JSON Schema object"), err());
  }

  @Test
  void duplicateKeysAndDuplicateToolsAreReported() throws Exception {
    assertEquals(2, run("--tools", toolsFile("{'servers':{'s':{'tools':[]},'s':{'tools':[]}}}").toString(),
        "--out", tmp.resolve("o").toString()));
    assertTrue(err().contains("Duplicate field 's'"), err());
    assertEquals(2, run("--tools", toolsFile("{'servers':{'s':{'tools':[{'name':'a','inputSchema':{}},"
        + "{'name':'a','inputSchema':{}}]}}}").toString(), "--out", tmp.resolve("o").toString()));
    assertTrue(err().contains("lists the tool name \"a\" twice"), err());
  }

  @Test
  void deeplyNestedJsonIsRejectedNotOverflowed() throws Exception {
    String deep = "{'servers':{'s':{'tools':[{'name':'a','inputSchema':" + "{'items':".repeat(5000) + "{}"
        + "}".repeat(5000) + "}]}}}";
    assertEquals(2, run("--tools", toolsFile(deep).toString(), "--out", tmp.resolve("o").toString()));
    assertTrue(err().contains("not valid JSON"), err());
  }

  @Test
  void usageErrors() throws Exception {
    assertEquals(2, run());
    assertTrue(err().contains("both --tools and --out are required"), err());
    assertEquals(2, run("--tools", "a.json", "--out", "o", "--extra"));
    assertTrue(err().contains("unexpected argument \"--extra\""), err());
    assertEquals(2, run("--tools"));
    assertEquals(1, run("--tools", tmp.resolve("missing.json").toString(), "--out", tmp.resolve("o").toString()));
    assertTrue(err().contains("cannot read"), err());
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: bindings-gen"));
  }
}
