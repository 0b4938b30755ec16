package dev.codemode.runtime;

import dev.codemode.policies.ProcLimits;
import dev.codemode.policies.Profile;
import dev.codemode.runtime.vfs.ModuleFiles;
import dev.codemode.runtime.vfs.SandboxFileSystem;
import java.util.Map;
import java.util.function.Function;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A fresh context made ready for exactly one run: its own journal and files, the JS realm and the
 * prelude. It is the one way a run's context is booted, ahead of the run by {@link PreparedContextPool}
 * or by the run itself when none was ready. No agent code ever runs in it before the run that claims
 * it, and it is never reused, so "one fresh context per run" holds. Built off the run's critical path,
 * it takes the realm set-up and the prelude out of the answer's latency. The prelude's host functions
 * forward to whichever run claims it.
 */
final class PreparedContext implements AutoCloseable {
  final RunJournal journal;
  /** The run's files, held here; null in a worker, whose files live on the host. */
  final RunFiles files;
  final SandboxFileSystem moduleFiles;
  final Context context;
  final Value control;
  private final ClaimedModuleFiles bridgedFiles;
  private volatile RunExecution owner;

  private PreparedContext(RunJournal journal, RunFiles files, ClaimedModuleFiles bridgedFiles, SandboxFileSystem moduleFiles,
      Context context, Value control) {
    this.journal = journal;
    this.files = files;
    this.bridgedFiles = bridgedFiles;
    this.moduleFiles = moduleFiles;
    this.context = context;
    this.control = control;
  }

  /**
   * Builds a preparedContext for runs of {@code profile} under {@code limits} that see {@code servers}. With
   * {@code filesOverBridge} (a worker) it holds no files: its module loader reads through the bridge of
   * the run that claims it.
   */
  static PreparedContext build(SandboxContexts contexts, GuestScripts scripts, Profile profile, ProcLimits limits,
      Map<String, Map<String, String>> servers, boolean filesOverBridge) {
    RunJournal journal = new RunJournal();
    RunFiles files = filesOverBridge ? null : new RunFiles(profile.fs(), journal);
    ClaimedModuleFiles bridgedFiles = filesOverBridge ? new ClaimedModuleFiles() : null;
    SandboxFileSystem moduleFiles = new SandboxFileSystem(filesOverBridge ? bridgedFiles : files.moduleFiles(),
        RunFiles.MAX_MODULE_BYTES);
    Context context = contexts.newContext(profile.name(), limits, moduleFiles);
    PreparedContext[] self = new PreparedContext[1];
    try {
      Value prelude = context.eval(scripts.prelude());
      Value fsFactory = context.eval(scripts.fsApi());
      ProxyObject host = ProxyObject.fromMap(Map.of(
          "bridge", (ProxyExecutable) args -> forward(self[0], run -> run.onBridgeCall(args)),
          "log", (ProxyExecutable) args -> forward(self[0], run -> run.onLog(args))));
      Value control = prelude.execute(host, scripts.configJson(limits, servers), fsFactory);
      context.eval(scripts.timers()).execute(
          (ProxyExecutable) args -> forward(self[0], run -> run.onArmTimer(args)),
          (ProxyExecutable) args -> forward(self[0], run -> run.onDisarmTimer(args)));
      self[0] = new PreparedContext(journal, files, bridgedFiles, moduleFiles, context, control);
      return self[0];
    } catch (RuntimeException e) {
      context.close(true);
      throw e;
    }
  }

  private static Object forward(PreparedContext preparedContext, Function<RunExecution, Object> call) {
    RunExecution run = preparedContext == null ? null : preparedContext.owner;
    return run == null ? null : call.apply(run);
  }

  /**
   * Hands the preparedContext to {@code run}; from now on the prelude's host calls reach it, and in a worker the
   * module loader reads through {@code bridgedModules}.
   */
  void claim(RunExecution run, ModuleFiles bridgedModules) {
    if (bridgedFiles != null) {
      bridgedFiles.bind(bridgedModules);
    }
    this.owner = run;
  }

  @Override
  public void close() {
    try {
      context.close(true);
    } catch (RuntimeException ignored) {
      // A preparedContext that was never claimed holds nothing worth reporting.
    }
  }
}
