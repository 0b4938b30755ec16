package dev.codemode.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real TypeScript compiler (testkit) checks the declarations generated for the three captured
 * servers plus {@link HostileServer}, and a usage file whose {@code @ts-expect-error} lines prove
 * that wrong arguments are rejected. Requires Node.js: without it the test fails.
 */
class TypeScriptCompileTest {

  private static final String USAGE = """
      import everything from './servers/everything/index.js';
      import type { KitchenSinkArgs } from './servers/weIrdSrvScript/index.js';

      const sum: unknown = await servers.everything.getSum({ a: 1, b: 2 });
      const viaDefault: unknown = await everything.getSum({ a: 3, b: 4 });
      const weather = await servers.everything.getStructuredContent({ location: 'Chicago' });
      const celsius: number = weather.temperature;
      await servers.everything.getEnv();
      const graph = await servers.memory.readGraph();
      const names: string[] = graph.entities.map((entity) => entity.name);
      await servers.memory.createEntities({ entities: [{ name: 'a', entityType: 'person', observations: [] }] });
      const file = await servers.filesystem.readTextFile({ path: '/workspace/a.txt', head: 3 });
      const text: string = file.content;
      const sink: KitchenSinkArgs = {
        plain: 'abc', mode: null, pair: ['a', 1], legacyPair: [true],
        either: { value: 'root', children: [{ value: 'leaf' }] }, self: { plain: 'x', mode: 3 },
      };
      const reserved: unknown = await servers.weIrdSrvScript.delete_({ x: 'y' });

      // @ts-expect-error b must be a number
      await servers.everything.getSum({ a: 1, b: 'two' });
      // @ts-expect-error location is one of three cities
      await servers.everything.getStructuredContent({ location: 'Paris' });
      // @ts-expect-error path is required
      await servers.filesystem.readTextFile({});
      // @ts-expect-error declared properties only: c is a typo
      await servers.everything.getSum({ a: 1, b: 2, c: 3 });
      // @ts-expect-error no tool of that name
      await servers.memory.readGraphs();
      // @ts-expect-error the result has no such property
      const missing = weather.pressure;

      export const used = [sum, viaDefault, celsius, names, text, sink, reserved, missing];
      """;

  @TempDir
  static Path dir;

  @BeforeAll
  static void writeBindings() throws Exception {
    List<ServerTools> servers = new ArrayList<>(Captured.all());
    servers.add(HostileServer.server());
    BindingsWriter.write(new BindingsGenerator().generate(servers), dir);
    Files.writeString(dir.resolve("package.json"), "{\"type\":\"module\"}\n");
  }

  @Test
  void declarationsCompileAndRejectWrongArguments() throws Exception {
    Files.writeString(dir.resolve("usage.ts"), USAGE);
    NodeTool.Result result = tsc("usage.ts");
    assertEquals(0, result.exitCode(), "tsc failed:\n" + result.output());
  }

  @Test
  void compilerReportsAWrongArgumentWithoutExpectError() throws Exception {
    Files.writeString(dir.resolve("wrong.ts"),
        "await servers.everything.getSum({ a: 1, b: 'two' });\nexport {};\n");
    NodeTool.Result result = tsc("wrong.ts");
    assertNotEquals(0, result.exitCode(), "tsc accepted a string for a number:\n" + result.output());
    assertTrue(result.output().contains("wrong.ts(1,"), result.output());
  }

  @Test
  void generatedModulesLoadAndCallTheBridgeWithExactNames() throws Exception {
    NodeTool.Result result = NodeTool.node(dir, List.of("--import",
        NodeTool.scripts().resolve("register-bridge-stub.mjs").toUri().toString(),
        NodeTool.scripts().resolve("call-every-wrapper.mjs").toString(),
        dir.resolve("servers/everything/index.js").toString(),
        dir.resolve("servers/filesystem/index.js").toString(),
        dir.resolve("servers/memory/index.js").toString(),
        dir.resolve("servers/weIrdSrvScript/index.js").toString()));
    assertEquals(0, result.exitCode(), "node failed:\n" + result.output());
    WrapperCalls.assertCalls(result.output(), servers());
  }

  private static List<ServerTools> servers() throws Exception {
    List<ServerTools> servers = new ArrayList<>(Captured.all());
    servers.add(HostileServer.server());
    return servers;
  }

  private static NodeTool.Result tsc(String usageFile) throws Exception {
    return NodeTool.node(dir, List.of(NodeTool.tsc().toString(), "--noEmit", "--strict",
        "--target", "es2022", "--module", "es2022", "--moduleResolution", "bundler", "--lib", "es2022",
        "--pretty", "false", "servers.d.ts", usageFile));
  }
}
