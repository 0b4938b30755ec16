package dev.codemode.runtime;

import dev.codemode.policies.ProcLimits;
import dev.codemode.policies.Profile;
import dev.codemode.runtime.vfs.SandboxFileSystem;
import java.util.Map;
import java.util.function.Function;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A fresh context made ready for exactly one run, ahead of it: its own journal and files, the JS realm
 * and the prelude. No agent code ever runs in it before the run that claims it, and it is never reused,
 * so "one fresh context per run" holds. Built off the run's critical path, it takes the realm set-up
 * and the prelude out of the answer's latency. The prelude's host functions forward to whichever run
 * claims the stage.
 */
final class Stage implements AutoCloseable {
  final RunJournal journal;
  final RunFiles files;
  final SandboxFileSystem moduleFiles;
  final Context context;
  final Value control;
  private volatile RunExecution owner;

  private Stage(RunJournal journal, RunFiles files, SandboxFileSystem moduleFiles, Context context, Value control) {
    this.journal = journal;
    this.files = files;
    this.moduleFiles = moduleFiles;
    this.context = context;
    this.control = control;
  }

  /** Builds a stage for runs of {@code profile} under {@code limits} that see {@code servers}. */
  static Stage build(SandboxContexts contexts, GuestScripts scripts, Profile profile, ProcLimits limits,
      Map<String, Map<String, String>> servers) {
    RunJournal journal = new RunJournal();
    RunFiles files = new RunFiles(profile.fs(), journal);
    SandboxFileSystem moduleFiles = new SandboxFileSystem(files.moduleFiles(), RunFiles.MAX_MODULE_BYTES);
    Context context = contexts.newContext(profile.name(), limits, moduleFiles);
    Stage[] self = new Stage[1];
    try {
      Value prelude = context.eval(scripts.prelude());
      Value fsFactory = context.eval(scripts.fsApi());
      ProxyObject host = ProxyObject.fromMap(Map.of(
          "bridge", (ProxyExecutable) args -> forward(self[0], run -> run.onBridgeCall(args)),
          "log", (ProxyExecutable) args -> forward(self[0], run -> run.onLog(args))));
      Value control = prelude.execute(host, scripts.configJson(limits, servers), fsFactory);
      self[0] = new Stage(journal, files, moduleFiles, context, control);
      return self[0];
    } catch (RuntimeException e) {
      context.close(true);
      throw e;
    }
  }

  private static Object forward(Stage stage, Function<RunExecution, Object> call) {
    RunExecution run = stage == null ? null : stage.owner;
    return run == null ? null : call.apply(run);
  }

  /** Hands the stage to {@code run}; from now on the prelude's host calls reach it. */
  void claim(RunExecution run) {
    this.owner = run;
  }

  @Override
  public void close() {
    try {
      context.close(true);
    } catch (RuntimeException ignored) {
      // A stage that was never claimed holds nothing worth reporting.
    }
  }
}
