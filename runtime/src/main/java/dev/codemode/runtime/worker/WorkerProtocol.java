package dev.codemode.runtime.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.policies.FsPolicy;
import dev.codemode.policies.LoggingPolicy;
import dev.codemode.policies.NetPolicy;
import dev.codemode.policies.ProcLimits;
import dev.codemode.policies.Profile;
import dev.codemode.policies.ToolPolicy;
import dev.codemode.runtime.GuestError;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.LimitHit;
import dev.codemode.runtime.LimitKind;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON-lines messages between host and worker. Host → worker: {@code run}, {@code reply};
 * worker → host: {@code started}, {@code ready}, {@code call}, {@code result}. The worker is told only what running the
 * code needs (the limits and the tool names the guest sees), never the file, network or tool policy:
 * those stay on the host, which answers every call.
 */
final class WorkerProtocol {
  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private WorkerProtocol() {}

  /** The worker's JVM is up inside its walls; its warm-up comes next. */
  static ObjectNode started() {
    return JSON.objectNode().put("type", "started");
  }

  static ObjectNode ready() {
    return JSON.objectNode().put("type", "ready");
  }

  static ObjectNode run(RunRequest r, ProcLimits limits) {
    ObjectNode m = JSON.objectNode().put("type", "run").put("runId", r.runId()).put("code", r.code())
        .put("profile", r.profile().name());
    m.set("limits", limits(limits));
    ObjectNode servers = m.putObject("servers");
    r.servers().forEach((server, tools) -> {
      ObjectNode t = servers.putObject(server);
      tools.forEach(t::put);
    });
    return m;
  }

  /** The worker's request: a profile that holds only the name and limits; its bridge is the pipe. */
  static RunRequest runRequest(JsonNode m, HostBridge bridge) {
    ProcLimits limits = limits(m.get("limits"));
    Map<String, Map<String, String>> servers = new HashMap<>();
    m.get("servers").fields().forEachRemaining(s -> {
      Map<String, String> tools = new HashMap<>();
      s.getValue().fields().forEachRemaining(t -> tools.put(t.getKey(), t.getValue().textValue()));
      servers.put(s.getKey(), tools);
    });
    return new RunRequest(m.get("runId").textValue(), m.get("code").textValue(),
        limitsOnly(m.get("profile").textValue(), limits), null, servers, bridge);
  }

  static Profile limitsOnly(String name, ProcLimits limits) {
    return new Profile(name, new FsPolicy(List.of(), List.of(), 0, 0),
        new NetPolicy(false, List.of(), List.of(), Map.of(), 0, 0, 0, 0, 0),
        limits, new ToolPolicy(List.of(), List.of()), new LoggingPolicy(0, true));
  }

  static ObjectNode call(long id, String capability, JsonNode args) {
    ObjectNode m = JSON.objectNode().put("type", "call").put("id", id).put("capability", capability);
    m.set("args", args == null ? NullNode.getInstance() : args);
    return m;
  }

  /** The worker's running count of console bytes, for the host's progress reports. */
  static ObjectNode console(long bytes) {
    return JSON.objectNode().put("type", "console").put("bytes", bytes);
  }

  static ObjectNode replyOk(long id, JsonNode value) {
    ObjectNode m = JSON.objectNode().put("type", "reply").put("id", id).put("ok", true);
    m.set("value", value == null ? NullNode.getInstance() : value);
    return m;
  }

  static ObjectNode replyError(long id, String code, String message) {
    ObjectNode m = JSON.objectNode().put("type", "reply").put("id", id).put("ok", false);
    m.putObject("error").put("code", code).put("message", message);
    return m;
  }

  /** What the worker reports; the host adds what it recorded itself (denials, calls, egress, files). */
  static ObjectNode result(RunResult r) {
    ObjectNode m = JSON.objectNode().put("type", "result").put("runId", r.runId())
        .put("status", r.status().name()).put("console", r.console())
        .put("durationMs", r.durationMs()).put("cpuMs", r.cpuMs());
    m.set("result", r.result());
    if (r.error() != null) {
      m.putObject("error").put("type", r.error().type()).put("message", r.error().message())
          .put("stack", r.error().stack());
    }
    if (r.limit() != null) {
      m.putObject("limit").put("kind", r.limit().kind().name()).put("detail", r.limit().detail());
    }
    return m;
  }

  /** The worker's part of a result, read strictly: anything malformed throws. */
  record Reported(RunStatus status, JsonNode result, String console, GuestError error, LimitHit limit,
      long durationMs, long cpuMs) {}

  static Reported reported(JsonNode m) {
    RunStatus status = RunStatus.valueOf(m.get("status").textValue());
    JsonNode error = m.get("error");
    JsonNode limit = m.get("limit");
    GuestError e = error == null ? null : new GuestError(error.get("type").textValue(),
        error.get("message").textValue(), error.path("stack").isTextual() ? error.get("stack").textValue() : null);
    LimitHit l = limit == null ? null
        : new LimitHit(LimitKind.valueOf(limit.get("kind").textValue()), limit.get("detail").textValue());
    if ((status == RunStatus.LIMIT) != (l != null)) {
      throw new IllegalArgumentException("a limit result must name its limit, and only it");
    }
    return new Reported(status, m.get("result"), m.get("console").textValue(), e, l,
        m.get("durationMs").asLong(), m.get("cpuMs").asLong());
  }

  private static ObjectNode limits(ProcLimits l) {
    return JSON.objectNode().put("wallMs", l.wallMs()).put("cpuMs", l.cpuMs()).put("memMb", l.memMb())
        .put("maxOutputBytes", l.maxOutputBytes()).put("maxResultBytes", l.maxResultBytes())
        .put("maxStatements", l.maxStatements()).put("maxStackFrames", l.maxStackFrames())
        .put("maxAstDepth", l.maxAstDepth()).put("hostMs", l.hostMs());
  }

  private static ProcLimits limits(JsonNode n) {
    return new ProcLimits(n.get("wallMs").asLong(), n.get("cpuMs").asLong(), n.get("memMb").asInt(),
        n.get("maxOutputBytes").asInt(), n.get("maxResultBytes").asInt(), n.get("maxStatements").asLong(),
        n.get("maxStackFrames").asInt(), n.get("maxAstDepth").asInt(), n.path("hostMs").asLong(n.get("cpuMs").asLong()));
  }
}
