package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.codemode.policies.FsPolicy;
import dev.codemode.policies.MountSpec;
import dev.codemode.policies.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one door: calls complete on the host, results and errors come back as plain JS values. */
class BridgeTest extends RunnerFixture {
  private final ScheduledExecutorService delays = Executors.newScheduledThreadPool(4);

  private HostBridge slowEcho(long ms) {
    return call -> {
      CompletableFuture<com.fasterxml.jackson.databind.JsonNode> f = new CompletableFuture<>();
      if (call.capability().equals("tool.call")) {
        int n = call.args().path("args").path("n").asInt();
        delays.schedule(() -> f.complete(IntNode.valueOf(n * 2)), ms, TimeUnit.MILLISECONDS);
      } else {
        f.completeExceptionally(new BridgeException("ENOPE", "no such capability here"));
      }
      return f;
    };
  }

  private RunResult runWith(String code, HostBridge bridge) {
    return runner.run(new RunRequest(UUID.randomUUID().toString(), code, TestRuns.profile(TestRuns.limits()), null,
        Map.of("demo", Map.of("double", "double-it")), bridge));
  }

  @Test
  void parallelCallsOverlap() {
    long t0 = System.nanoTime();
    RunResult r = runWith("const rs = await Promise.all([1,2,3,4,5,6,7,8,9,10].map(n => servers.demo.double({n})));"
        + " return rs.reduce((a, b) => a + b, 0)", slowEcho(300));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals(110, r.result().asInt());
    assertTrue(ms < 1500, "10 calls of 300 ms each took " + ms + " ms: not parallel");
  }

  @Test
  void hostFailureIsAPlainJsErrorWithoutClassNames() {
    RunResult r = runWith("try { await codemode.searchTools('x') } catch (e) {"
        + " return [e instanceof Error, e.code, e.message, String(e.constructor.name), Object.keys(e)] }", slowEcho(1));
    assertEquals("[true,\"ENOPE\",\"no such capability here\",\"Error\",[\"code\"]]", r.result().toString());
  }

  @Test
  void bridgeThatThrowsSynchronouslyDoesNotReachTheGuestAsAHostException() {
    HostBridge throwing = call -> {
      throw new IllegalStateException("java.lang.secret.Internal");
    };
    RunResult r = runWith("try { await servers.demo.double({n: 1}) } catch (e) { return e.message + '|' + e.code }", throwing);
    assertEquals(RunStatus.OK, r.status());
    assertTrue(!r.result().toString().contains("java"), r.result().toString());
  }

  @Test
  void wallLimitInterruptsAPendingCall() {
    long t0 = System.nanoTime();
    RunResult r = runner.run(new RunRequest(UUID.randomUUID().toString(), "return await servers.demo.double({n: 1})",
        TestRuns.profile(TestRuns.limits()), 500L, Map.of("demo", Map.of("double", "double-it")), slowEcho(60_000)));
    assertEquals(RunStatus.LIMIT, r.status());
    assertEquals(LimitKind.WALL_TIME, r.limit().kind());
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 3000);
  }

  @Test
  void generatedBindingsImportTheBridgeModuleAndCallToolsByTheirExactNames(@TempDir Path deps) throws Exception {
    // The shape bindings-gen writes for servers/<server>/index.js.
    Path module = Files.createDirectories(deps.resolve("servers/everything")).resolve("index.js");
    Files.writeString(module, "import { callTool } from 'codemode:bridge';\n"
        + "export function getSum(args) { return callTool('everything', 'get-sum', args ?? {}); }\n"
        + "export default { getSum };\n");
    List<JsonNode> calls = new CopyOnWriteArrayList<>();
    HostBridge recording = call -> {
      calls.add(call.args());
      return CompletableFuture.completedFuture(IntNode.valueOf(call.args().path("args").path("a").asInt() + 1));
    };
    Profile base = TestRuns.profile(TestRuns.limits());
    List<MountSpec> mounts = new ArrayList<>(base.fs().mounts());
    mounts.add(new MountSpec("/deps", false, deps.toString()));
    Profile withDeps = new Profile(base.name(), new FsPolicy(mounts, base.fs().denyGlobs(), base.fs().maxBytes(),
        base.fs().maxFiles()), base.net(), base.proc(), base.tools(), base.logging());
    RunResult r = runner.run(new RunRequest(UUID.randomUUID().toString(),
        "import everything from '/deps/servers/everything/index.js';\nreturn await everything.getSum({a: 41});",
        withDeps, null, Map.of(), recording));
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals(42, r.result().asInt());
    assertEquals("[{\"server\":\"everything\",\"tool\":\"get-sum\",\"args\":{\"a\":41}}]", calls.toString());
  }
}
