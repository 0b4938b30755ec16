package dev.codemode.runtime.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.codemode.policies.ProcLimits;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.BridgeException;
import dev.codemode.runtime.GuestError;
import dev.codemode.runtime.HostBudget;
import dev.codemode.runtime.LimitHit;
import dev.codemode.runtime.RunFiles;
import dev.codemode.runtime.RunJournal;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.vfs.FsException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The host's side of one run in a worker: the request, the files and the journal the host keeps (so
 * every policy is checked here, not in the worker), and the result built from the worker's report.
 * The result's journal and artifacts are always the host's own records, never the worker's word.
 */
final class HostRun {
  private final RunRequest request;
  private final ProcLimits limits;
  private final RunJournal journal = new RunJournal();
  private final RunFiles files;
  private final long startNanos = System.nanoTime();
  private final HostBudget hostBudget;
  private volatile boolean cancelled;
  private volatile LimitHit hostLimit;
  private volatile Runnable stopWorker = () -> { };

  /** @throws IllegalArgumentException when the profile's mounts cannot be built */
  HostRun(RunRequest request) {
    this.request = request;
    this.limits = request.profile().proc().tightenWall(request.timeoutMs());
    this.files = new RunFiles(request.profile().fs(), journal);
    this.hostBudget = new HostBudget(limits.hostMs(), this::hostLimitHit);
    journal.watch(request.watchedDenials());
  }

  /** What ends the run's worker when a host-side budget runs out. */
  void stopWorkerWith(Runnable stop) {
    this.stopWorker = stop;
  }

  private void hostLimitHit(LimitHit hit) {
    hostLimit = hit;
    stopWorker.run();
  }

  /** Where the host charges its work for this run. */
  HostBudget hostBudget() {
    return hostBudget;
  }

  /** The host-side limit that ended the run, or null. */
  LimitHit hostLimit() {
    return hostLimit;
  }

  RunRequest request() {
    return request;
  }

  ProcLimits limits() {
    return limits;
  }

  void cancel() {
    cancelled = true;
  }

  boolean cancelled() {
    return cancelled;
  }

  long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Answers one call from the worker: files here, everything else through the request's bridge. */
  CompletionStage<JsonNode> serve(String capability, JsonNode args) {
    if (RunFiles.serves(capability)) {
      return hostBudget.charged(() -> {
        try {
          return CompletableFuture.completedFuture(files.call(capability, args));
        } catch (FsException e) {
          return CompletableFuture.failedFuture(new BridgeException(e.code(), e.getMessage()));
        }
      });
    }
    try {
      return request.bridge().call(new BridgeCall(request.runId(), request.profile(), capability, args, journal,
          hostBudget));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(BridgeException.of(e));
    }
  }

  /** The result from the worker's report, checked again against this run's budgets. */
  RunResult reported(JsonNode message) {
    WorkerProtocol.Reported r;
    try {
      if (!request.runId().equals(message.path("runId").textValue())) {
        throw new IllegalArgumentException("a result for another run");
      }
      r = WorkerProtocol.reported(message);
    } catch (RuntimeException e) {
      return ended(RunStatus.INTERNAL_ERROR, GuestError.internal("the worker's answer could not be read"), null);
    }
    if (hostLimit != null) {
      return ended(RunStatus.LIMIT, null, hostLimit);
    }
    JsonNode value = r.result() == null ? NullNode.getInstance() : r.result();
    if (value.toString().getBytes(StandardCharsets.UTF_8).length > limits.maxResultBytes()) {
      return ended(RunStatus.LIMIT, null,
          LimitHit.resultTooLarge(limits.maxResultBytes()));
    }
    String console = r.console();
    int cap = limits.maxOutputBytes() + 256;
    if (console.length() > cap) {
      console = console.substring(0, cap);
    }
    request.bridge().endRun();
    return RunResult.of(request.runId(), r.status(), value, console, r.error(), r.limit(), journal,
        files.keptFiles(), elapsedMs(), r.cpuMs());
  }

  /** A result decided on the host: the worker was stopped, died or could not be reached. */
  RunResult ended(RunStatus status, GuestError error, LimitHit limit) {
    request.bridge().endRun();
    return RunResult.of(request.runId(), status, NullNode.getInstance(), "", error, limit, journal,
        files.keptFiles(), elapsedMs(), -1);
  }
}
