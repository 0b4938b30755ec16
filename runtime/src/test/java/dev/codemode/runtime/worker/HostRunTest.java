package dev.codemode.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.runtime.BridgeException;
import dev.codemode.runtime.LimitKind;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.TestRuns;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** What a compromised worker can ask of the host: only the allowlisted file operations, under the host's checks. */
class HostRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HostRun run = new HostRun(TestRuns.request("return 1"));

  private BridgeException refused(String capability, String args) throws Exception {
    try {
      JsonNode v = run.serve(capability, JSON.readTree(args)).toCompletableFuture().get();
      throw new AssertionError(capability + " was served: " + v);
    } catch (ExecutionException e) {
      return (BridgeException) e.getCause();
    }
  }

  @Test
  void fileCapabilitiesAreAnAllowlist() throws Exception {
    assertEquals("ENOSYS", refused("fs.chmod", "{\"path\": \"/workspace/a\"}").code());
    assertEquals("ENOSYS", refused("module.writeFile", "{\"path\": \"/workspace/a\"}").code());
    assertEquals("ENOSYS", refused("module.", "{}").code());
    assertEquals("ENOSYS", refused("fs.readFile\u0000", "{\"path\": \"/workspace/a\"}").code());
  }

  @Test
  void moduleReadsAreCheckedAndJournaledOnTheHost() throws Exception {
    assertEquals("EACCES", refused("module.readFile", "{\"path\": \"/workspace/../etc/passwd\"}").code());
    assertEquals("EACCES", refused("module.stat", "{\"path\": \"/workspace/.env\"}").code());
    assertEquals("EINVAL", refused("module.readFile", "{\"path\": 7}").code());
    assertEquals("EINVAL", refused("module.refuse", "{\"path\": \"/workspace/x\", \"syscall\": \"chmod\"}").code());
    assertEquals("EROFS", refused("module.refuse", "{\"path\": \"/workspace/x\", \"syscall\": \"open\"}").code());
    RunResult r = run.ended(RunStatus.OK, null, null);
    assertTrue(r.denials().stream().anyMatch(d -> d.reason().contains("deny_globs")), r.denials().toString());
    assertTrue(r.denials().stream().anyMatch(d -> d.reason().contains("module loading is read-only")), r.denials().toString());
  }

  @Test
  void otherCapabilitiesGoToTheRequestsBridgeOnly() throws Exception {
    BridgeException e = refused("tool.call", "{}");
    assertEquals("ENOSYS", e.code(), "HostBridge.NONE answers");
  }

  private ObjectNode result(String runId, String status) {
    ObjectNode m = WorkerProtocol.JSON.objectNode().put("type", "result").put("runId", runId).put("status", status)
        .put("console", "").put("durationMs", 1).put("cpuMs", 1);
    m.put("result", 1);
    return m;
  }

  @Test
  void aForgedResultIsAnInternalErrorNeverTrusted() {
    assertEquals(RunStatus.OK, run.reported(result(run.request().runId(), "OK")).status());
    assertEquals(RunStatus.INTERNAL_ERROR, run.reported(result("another-run", "OK")).status());
    assertEquals(RunStatus.INTERNAL_ERROR, run.reported(result(run.request().runId(), "LIMIT")).status(),
        "a limit without its name");
    assertEquals(RunStatus.INTERNAL_ERROR, run.reported(result(run.request().runId(), "PWNED")).status());
    ObjectNode big = result(run.request().runId(), "OK");
    big.put("result", "x".repeat(run.limits().maxResultBytes() + 1));
    RunResult r = run.reported(big);
    assertEquals(RunStatus.LIMIT, r.status());
    assertEquals(LimitKind.OUTPUT, r.limit().kind());
  }

  @Test
  void theHostsJournalFillsTheResultNotTheWorkers() throws Exception {
    refused("module.readFile", "{\"path\": \"/etc/shadow\"}");
    ObjectNode m = result(run.request().runId(), "OK");
    m.putArray("denials");
    assertEquals(1, run.reported(m).denials().size());
  }

  @Test
  void unusedBridgeIsNotCalledForFiles() throws Exception {
    HostRun own = new HostRun(TestRuns.request("return 1", TestRuns.limits(), call -> {
      throw new AssertionError("files must not reach the request's bridge: " + call.capability());
    }));
    own.serve("fs.writeFile", JSON.readTree("{\"path\": \"a.txt\", \"data\": \"x\"}")).toCompletableFuture().get();
    assertEquals("\"x\"", own.serve("fs.readFile", JSON.readTree("{\"path\": \"a.txt\", \"encoding\": \"utf8\"}"))
        .toCompletableFuture().get().toString());
  }
}
