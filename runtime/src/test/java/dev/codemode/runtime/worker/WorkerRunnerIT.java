package dev.codemode.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.codemode.policies.ProcLimits;
import dev.codemode.runtime.BridgeException;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.LimitKind;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.TestRuns;
import dev.codemode.runtime.ToolCallRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Worker mode passes the in-process behaviour tests for the basics: results, errors, limits, files, the bridge. */
class WorkerRunnerIT {

  private static RunResult run(String code) {
    return WorkerFixture.runner().run(TestRuns.request(code));
  }

  @Test
  void returnsTheValue() {
    RunResult r = run("const x = await Promise.resolve(6); return {answer: x * 7}");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals("{\"answer\":42}", r.result().toString());
  }

  @Test
  void deeplyNestedTypeScriptIsRefusedAndTheWorkerSurvives() {
    // Crashed the worker JVM with SIGSEGV inside swc4j before the nesting check.
    RunResult r = run("const x: number = " + "(".repeat(100_000) + "1" + ")".repeat(100_000) + ";\nreturn x;");
    assertEquals(RunStatus.ERROR, r.status(), String.valueOf(r.result()));
    assertTrue(r.error().message().contains("nests deeper than the limit of 2000"), r.error().message());
    RunResult next = run("const n: number = 41; return n + 1");
    assertEquals(RunStatus.OK, next.status(), String.valueOf(next.error()));
  }

  @Test
  void theGuestCannotForgeAVerdictOrRewriteItsBridgeCalls() {
    for (dev.codemode.runtime.GuestForgeryCases.Case c : dev.codemode.runtime.GuestForgeryCases.all()) {
      RunResult r = run(c.code());
      assertEquals(c.status(), r.status(), c.name() + ": " + r.error() + " " + r.limit());
      if (c.result() != null) {
        assertEquals(c.result(), r.result().toString(), c.name());
      }
    }
  }

  @Test
  void consoleIsCaptured() {
    RunResult r = run("console.log('hello', 1); return null");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertTrue(r.console().contains("hello 1"), r.console());
  }

  @Test
  void errorPointsAtTheAgentsLine() {
    RunResult r = run("const a = 1;\nconst b = 2;\nnull.boom;");
    assertEquals(RunStatus.ERROR, r.status());
    assertEquals("TypeError", r.error().type());
    assertTrue(r.error().stack().contains("agent.js:3"), r.error().stack());
  }

  @Test
  void wallLimitKillsTheWorkerProcess() throws Exception {
    ProcLimits l = new ProcLimits(800, 60_000, 256, 4096, 65_536, Long.MAX_VALUE / 2, 500, 200);
    WorkerFixture.runner().awaitWarm(60_000);
    long t0 = System.nanoTime();
    var started = WorkerFixture.started(TestRuns.request("while (true) {}", l, HostBridge.NONE));
    RunResult r = started.getKey().get(30, java.util.concurrent.TimeUnit.SECONDS);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(RunStatus.LIMIT, r.status(), String.valueOf(r.error()));
    assertEquals(LimitKind.WALL_TIME, r.limit().kind());
    assertTrue(r.limit().detail().contains("800 ms"), r.limit().detail());
    assertTrue(ms < 3_000, "took " + ms + " ms");
    started.getValue().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertFalse(started.getValue().isAlive(), "the worker that ran the loop is still alive");
    assertEquals(2, run("return 1 + 1").result().asInt());
  }

  @Test
  void cpuLimitIsEnforcedInTheWorker() {
    ProcLimits l = new ProcLimits(20_000, 500, 256, 4096, 65_536, Long.MAX_VALUE / 2, 500, 200);
    RunResult r = WorkerFixture.runner().run(TestRuns.request("let i = 0; while (true) { i++ }", l, HostBridge.NONE));
    assertEquals(RunStatus.LIMIT, r.status());
    assertEquals(LimitKind.CPU_TIME, r.limit().kind());
  }

  @Test
  void fileRoundTripIsServedAndCheckedByTheHost() {
    RunResult r = run("await fs.mkdir('data/deep', {recursive: true}); await fs.writeFile('data/deep/a.txt', 'hello');"
        + " await fs.writeFile('out/report.txt', 'done');"
        + " const s = await fs.stat('/workspace/data/deep/a.txt'); return [await fs.readFile('data/deep/a.txt', 'utf8'),"
        + " s.size, await fs.readdir('data')]");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals("[\"hello\",5,[\"deep\"]]", r.result().toString());
    assertEquals(1, r.files().size(), "the host keeps the artifacts");
    assertEquals("done", new String(r.files().get(0).content(), StandardCharsets.UTF_8));
  }

  @Test
  void fileDenialsAreRecordedByTheHost() {
    RunResult r = run("const out = []; for (const p of ['/etc/passwd', '/workspace/.env']) {"
        + " try { await fs.readFile(p) } catch (e) { out.push(e.code) } } return out");
    assertEquals("[\"EACCES\",\"EACCES\"]", r.result().toString());
    assertEquals(2, r.denials().size(), r.denials().toString());
    assertEquals("fs", r.denials().get(0).kind());
  }

  @Test
  void moduleImportsAreServedByTheHost() {
    RunResult r = run("import { readFile, writeFile } from 'node:fs/promises';\n"
        + "await writeFile('lib.js', 'export const v = 5');\n"
        + "const m = await import('./lib.js');\n"
        + "let denied = null; try { await import('/etc/passwd') } catch (e) { denied = String(e.message).includes('passwd') }\n"
        + "export default [m.v, (await readFile('lib.js', 'utf8')).length, denied];");
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals("[5,18,true]", r.result().toString());
    assertTrue(r.denials().stream().anyMatch(d -> d.target().equals("/etc/passwd")), r.denials().toString());
  }

  @Test
  void aContextPreparedAheadReadsModulesThroughTheRunThatClaimsIt() {
    // A worker prepares the next run's context before that run exists: its module loader must read the
    // files of the run that claims it, through that run's bridge, and never those of the run before.
    for (int i = 0; i < 6; i++) {
      RunResult r = run("import { writeFile } from 'node:fs/promises';\n"
          + "let before = null; try { await import('./m" + i + ".js') } catch (e) { before = 'missing' }\n"
          + "await writeFile('m" + (i + 1) + ".js', 'export const v = " + i + "');\n"
          + "export default [before, (await import('./m" + (i + 1) + ".js')).v];");
      assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
      assertEquals("[\"missing\"," + i + "]", r.result().toString());
    }
  }

  @Test
  void toolCallGoesThroughTheHostBridge() {
    HostBridge bridge = call -> {
      if (!call.capability().equals("tool.call")) {
        return CompletableFuture.failedFuture(new BridgeException("ENOPE", "no such capability here"));
      }
      call.journal().toolCall(new ToolCallRecord(call.args().path("tool").asText("?"), true, 1));
      return CompletableFuture.completedFuture((JsonNode) IntNode.valueOf(call.args().path("args").path("n").asInt() * 2));
    };
    RunResult r = WorkerFixture.runner().run(new RunRequest(UUID.randomUUID().toString(),
        "const rs = await Promise.all([1, 2, 3].map(n => servers.demo.double({n})));"
            + " let e = null; try { await codemode.searchTools('x') } catch (err) { e = [err.code, err.message] }"
            + " return [rs, e]",
        TestRuns.profile(TestRuns.limits()), null, Map.of("demo", Map.of("double", "double-it")), bridge));
    assertEquals(RunStatus.OK, r.status(), String.valueOf(r.error()));
    assertEquals("[[2,4,6],[\"ENOPE\",\"no such capability here\"]]", r.result().toString());
    assertEquals(3, r.toolCalls().size(), "the host's journal, not the worker's, fills the result");
  }

  @Test
  void workspaceIsFreshEveryRun() {
    run("await fs.writeFile('left-behind.txt', 'x'); return 1");
    assertEquals("[\"out\"]", run("return await fs.readdir('/workspace')").result().toString(),
        "a run starts with only the empty artifact folder");
  }

  @Test
  void hostGlobalsAreAbsentInTheWorkerToo() {
    RunResult r = run("return [typeof Java, typeof Polyglot, typeof process, typeof require, typeof load]");
    assertEquals("[\"undefined\",\"undefined\",\"undefined\",\"undefined\",\"undefined\"]", r.result().toString());
    assertFalse(r.result().toString().contains("object"));
  }
}
