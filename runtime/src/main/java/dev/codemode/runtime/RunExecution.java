package dev.codemode.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.policies.ProcLimits;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import dev.codemode.runtime.vfs.FsException;
import dev.codemode.runtime.vfs.ModuleFiles;
import dev.codemode.runtime.vfs.SandboxFileSystem;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * One run: claims a {@link PreparedContext} (the one way a context is booted), evaluates the agent's code,
 * then drains completed bridge calls on the context's own thread until the agent's promise settles or a
 * limit ends it.
 */
final class RunExecution {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.ThreadMXBean ALLOCATION =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final Runnable WAKE = () -> { };
  static final String AGENT_SCRIPT = "agent.js";

  private final RunRequest request;
  private final ProcLimits limits;
  private RunJournal journal = new RunJournal();
  private final ConsoleCapture console;
  private final BlockingQueue<Runnable> completions = new LinkedBlockingQueue<>();
  private final AtomicInteger pendingCalls = new AtomicInteger();
  private final RunTimers timers = new RunTimers(completions::offer);
  private final long startNanos = System.nanoTime();
  private final boolean filesOverBridge;
  private final HostBudget hostBudget;
  private RunFiles files;
  private AgentCode.Prepared prepared;
  private volatile Context context;
  private volatile Thread thread;
  private volatile LimitHit hostLimit;
  private volatile boolean cancelled;
  private volatile long threadCpuStart;
  private volatile boolean selfEnforced;
  private volatile long allocatedAtStart;
  private String outcome;
  private String outcomeJson;

  /**
   * {@code filesOverBridge}: serve {@code fs.*} and module reads through the request's bridge (a worker,
   * whose host keeps the run's files) instead of from files held here.
   */
  RunExecution(RunRequest request, boolean filesOverBridge) {
    this.request = request;
    this.filesOverBridge = filesOverBridge;
    this.limits = request.profile().proc().tightenWall(request.timeoutMs());
    this.console = new ConsoleCapture(limits.maxOutputBytes());
    this.hostBudget = new HostBudget(limits.hostMs(), this::stop);
  }

  String runId() {
    return request.runId();
  }

  RunRequest request() {
    return request;
  }

  ProcLimits limits() {
    return limits;
  }

  Thread thread() {
    return thread;
  }

  /** Ends the run from another thread: with a limit (wall time, memory), or as cancelled when {@code limit} is null. */
  void stop(LimitHit limit) {
    if (limit == null) {
      cancelled = true;
    } else if (hostLimit == null) {
      hostLimit = limit;
    }
    Context c = context;
    if (c != null) {
      try {
        c.close(true);
      } catch (RuntimeException ignored) {
        // Already closing; the run thread reports the outcome.
      }
    }
    completions.offer(WAKE);
  }

  /** Whether the run was cancelled before its thread took it: it then ends without building a context. */
  boolean cancelledBeforeStart() {
    return cancelled && thread == null;
  }

  long allocatedAtStart() {
    return allocatedAtStart;
  }

  long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /**
   * Runs the request on the calling thread, on {@code preparedContext} when one was made ready for it, else on
   * one built here the same way. {@code armWallClock} is called when the agent's own code is about to start:
   * engine warm-up and the prelude do not count against the agent's wall budget.
   */
  RunResult execute(SandboxContexts contexts, GuestScripts scripts, Runnable armWallClock, PreparedContext preparedContext) {
    thread = Thread.currentThread();
    threadCpuStart = THREADS.getCurrentThreadCpuTime();
    allocatedAtStart = ALLOCATION.getThreadAllocatedBytes(thread.getId());
    CodeShape shape = CodeShape.of(request.code());
    boolean module = shape.module();
    try {
      PreparedContext booted = preparedContext != null ? preparedContext
          : PreparedContext.build(contexts, scripts, request.profile(), limits, request.servers(), filesOverBridge);
      booted.claim(this, filesOverBridge ? bridgedModuleFiles() : null);
      journal = booted.journal;
      files = booted.files;
      SandboxFileSystem moduleFiles = booted.moduleFiles;
      context = booted.context;
      Value control = booted.control;
      journal.watch(request.watchedDenials());
      if (hostLimit != null || cancelled) {
        return finish(null);
      }
      GuestError unavailable = shape.unavailableImport(request.code(), moduleFiles::serves, moduleFiles.specifiers());
      if (unavailable != null) {
        return result(RunStatus.ERROR, null, unavailable, null);
      }
      selfEnforced = contexts.selfEnforced();
      armWallClock.run();
      prepared = AgentCode.prepare(context, shape.code(), module);
      // Checked once the code has parsed (nothing of it has run), so a syntax error is reported as one, as
      // the engine's own limit does.
      LimitHit tooDeep = selfEnforced ? SelfEnforcedLimits.astDepth(shape.code(), limits) : null;
      if (tooDeep != null) {
        return result(RunStatus.LIMIT, null, null, tooDeep);
      }
      if (module) {
        moduleFiles.serveMainModule(prepared.moduleSource());
      }
      Value promise = context.eval(module ? scripts.moduleLoader() : prepared.script());
      control.invokeMember("finish", promise, module, (ProxyExecutable) this::onDone);
      pump();
      return finish(null);
    } catch (AgentCode.SyntaxFailure e) {
      return result(RunStatus.ERROR, null, e.error, null);
    } catch (PolyglotException e) {
      return finish(e);
    } catch (Throwable t) {
      if (hostLimit != null || cancelled) {
        return finish(null);
      }
      // StackOverflowError, LinkageError and the like: still an answer, never a crash.
      return result(RunStatus.INTERNAL_ERROR, null, GuestError.SANDBOX_FAILED, null);
    } finally {
      timers.cancelAll();
      if (hostLimit != null || cancelled) {
        // A context that may still be running guest code is closed now, forcibly.
        closeContext(true);
      }
    }
  }

  /**
   * Closes the run's context once its answer is out: nothing runs in it any more, so its teardown is
   * kept off the answer's path. Call exactly once after {@link #execute}, whatever its outcome.
   */
  void release() {
    closeContext(false);
  }

  private ModuleFiles bridgedModuleFiles() {
    return new BridgeModuleFiles((capability, args) -> request.bridge().call(bridgeCall(capability, args)),
        limits.wallMs());
  }

  private void pump() throws InterruptedException {
    while (outcome == null && hostLimit == null && !cancelled) {
      if (pendingCalls.get() == 0 && timers.pending() == 0 && completions.isEmpty()) {
        outcome = "stuck";
        return;
      }
      completions.take().run();
    }
  }

  private Object onDone(Value... args) {
    outcome = args[0].asString();
    outcomeJson = args[1].asString();
    return null;
  }

  Object onArmTimer(Value... args) {
    if (args.length == 3 && args[0].fitsInInt() && args[1].fitsInLong() && args[2].canExecute()
        && !timers.arm(args[0].asInt(), args[1].asLong(), args[2])) {
      stop(new LimitHit(LimitKind.TIMERS, "more than " + RunTimers.MAX_PENDING
          + " timers pending at once; await them in batches or clear the ones no longer needed"));
    }
    return null;
  }

  Object onDisarmTimer(Value... args) {
    if (args.length == 1 && args[0].fitsInInt()) {
      timers.disarm(args[0].asInt());
    }
    return null;
  }

  Object onLog(Value... args) {
    if (args.length == 2 && args[0].isString() && args[1].isString()) {
      console.append(args[0].asString(), args[1].asString());
      request.bridge().consoleWritten(console.totalBytes());
    }
    return null;
  }

  Object onBridgeCall(Value... args) {
    if (args.length != 3 || !args[0].isString() || !args[1].isString() || !args[2].canExecute()) {
      return null;
    }
    Value settle = args[2];
    String capability = args[0].asString();
    JsonNode callArgs;
    try {
      callArgs = JSON.readTree(args[1].asString());
    } catch (Exception e) {
      settleLater(settle, errorEnvelope("EINVAL", "arguments are not valid JSON"));
      return null;
    }
    if (files != null && capability.startsWith("fs.")) {
      settleLater(settle, fileCall(capability, callArgs));
      return null;
    }
    pendingCalls.incrementAndGet();
    try {
      request.bridge().call(bridgeCall(capability, callArgs))
          .whenComplete((value, error) -> {
            settleLater(settle, error == null ? okEnvelope(value) : errorEnvelope(error));
            pendingCalls.decrementAndGet();
          });
    } catch (RuntimeException e) {
      settleLater(settle, errorEnvelope(e));
      pendingCalls.decrementAndGet();
    }
    return null;
  }

  private BridgeCall bridgeCall(String capability, JsonNode args) {
    return new BridgeCall(request.runId(), request.profile(), capability, args, journal, hostBudget);
  }

  private String fileCall(String capability, JsonNode args) {
    try {
      return okEnvelope(files.call(capability, args));
    } catch (FsException e) {
      return errorEnvelope(e.code(), e.getMessage());
    }
  }

  private List<KeptFile> keptFiles() {
    return files == null ? List.of() : files.keptFiles();
  }

  private void settleLater(Value settle, String envelope) {
    completions.offer(() -> settle.execute(envelope));
  }

  private static String okEnvelope(JsonNode value) {
    ObjectNode env = JSON.createObjectNode();
    env.put("ok", true);
    env.set("value", value == null ? NullNode.getInstance() : value);
    return env.toString();
  }

  private static String errorEnvelope(Throwable error) {
    BridgeException be = BridgeException.of(error);
    return errorEnvelope(be.code(), be.getMessage());
  }

  private static String errorEnvelope(String code, String message) {
    ObjectNode env = JSON.createObjectNode();
    env.put("ok", false);
    ObjectNode err = env.putObject("error");
    err.put("name", "Error");
    err.put("code", code);
    err.put("message", message);
    return env.toString();
  }

  private RunResult finish(PolyglotException failure) {
    if (hostLimit != null) {
      return result(RunStatus.LIMIT, null, null, hostLimit);
    }
    if (cancelled) {
      return result(RunStatus.CANCELLED, null, null, null);
    }
    if (failure != null) {
      return fromException(failure);
    }
    return switch (outcome == null ? "stuck" : outcome) {
      case "ok" -> okResult();
      case "limit" -> result(RunStatus.LIMIT, null, null, LimitHit.resultTooLarge(limits.maxResultBytes()));
      case "error" -> rejected(parseGuestError(outcomeJson));
      default -> result(RunStatus.ERROR, null, new GuestError("Error",
          "the code's promise never settled: it awaited something that can never resolve", null), null);
    };
  }

  private RunResult rejected(GuestError error) {
    LimitHit overflow = selfEnforced ? SelfEnforcedLimits.stack(error, limits) : null;
    return overflow != null ? result(RunStatus.LIMIT, null, null, overflow) : result(RunStatus.ERROR, null, error, null);
  }

  private RunResult okResult() {
    if (outcomeJson.getBytes(StandardCharsets.UTF_8).length > limits.maxResultBytes()) {
      return result(RunStatus.LIMIT, null, null, LimitHit.resultTooLarge(limits.maxResultBytes()));
    }
    try {
      return result(RunStatus.OK, JSON.readTree(outcomeJson), null, null);
    } catch (Exception e) {
      return result(RunStatus.INTERNAL_ERROR, null, GuestError.internal("the result could not be read"), null);
    }
  }

  private RunResult fromException(PolyglotException e) {
    if (e.isResourceExhausted() || (e.isCancelled() && !e.isGuestException())) {
      LimitHit hit = LimitClassifier.classify(e, limits, cpuMs());
      if (hit != null) {
        return result(RunStatus.LIMIT, null, null, hit);
      }
    }
    LimitHit overflow = selfEnforced ? SelfEnforcedLimits.stack(e, limits) : null;
    if (overflow != null) {
      return result(RunStatus.LIMIT, null, null, overflow);
    }
    if (e.isGuestException() && !e.isResourceExhausted()) {
      // Line-1 columns are corrected with the rest of the locations, in result().
      return result(RunStatus.ERROR, null, PolyglotErrors.toGuestError(e, prepared == null ? AgentCode.FUNCTION_PREFIX.length() : 0), null);
    }
    LimitHit hit = LimitClassifier.classify(e, limits, cpuMs());
    if (hit != null && hit.kind() == LimitKind.MEMORY) {
      return result(RunStatus.LIMIT, null, null, hit);
    }
    return result(RunStatus.INTERNAL_ERROR, null, GuestError.SANDBOX_FAILED, null);
  }

  private static GuestError parseGuestError(String json) {
    try {
      JsonNode n = JSON.readTree(json);
      return new GuestError(n.path("type").asText("Error"), n.path("message").asText(""),
          n.hasNonNull("stack") ? n.get("stack").asText() : null);
    } catch (Exception e) {
      return new GuestError("Error", "the error could not be read", null);
    }
  }

  /**
   * Ends the run with the CPU time limit when its thread has used more than its budget: called by the
   * watchdog, only for runs whose engine does not enforce CPU time itself.
   */
  void checkCpu() {
    Thread t = thread;
    if (!selfEnforced || t == null) {
      return;
    }
    long used = THREADS.getThreadCpuTime(t.getId());
    LimitHit hit = used < 0 ? null : SelfEnforcedLimits.cpu((used - threadCpuStart) / 1_000_000, limits);
    if (hit != null) {
      stop(hit);
    }
  }

  private long cpuMs() {
    Thread t = thread;
    if (t != Thread.currentThread()) {
      return -1;
    }
    return Math.max(0, (THREADS.getCurrentThreadCpuTime() - threadCpuStart) / 1_000_000);
  }

  private RunResult result(RunStatus status, JsonNode value, GuestError error, LimitHit limit) {
    // Whatever the run started through the bridge ends and is journaled before the answer is built.
    request.bridge().endRun();
    if (error != null && prepared != null) {
      error = new GuestError(error.type(), prepared.remap(error.message()), prepared.remap(error.stack()));
    }
    return RunResult.of(request.runId(), status, value == null ? NullNode.getInstance() : value, console.render(),
        error, limit, journal, keptFiles(), elapsedMs(), cpuMs());
  }

  private void closeContext(boolean force) {
    Context c = context;
    if (c != null) {
      closeNow(c, force);
    }
  }

  private static void closeNow(Context c, boolean force) {
    try {
      c.close(force);
    } catch (RuntimeException e) {
      try {
        c.close(true);
      } catch (RuntimeException ignored) {
        // A context ended by a limit rethrows on close.
      }
    }
  }
}
