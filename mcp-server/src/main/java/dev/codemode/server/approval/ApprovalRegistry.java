package dev.codemode.server.approval;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Who can approve a run's tool calls, by run id: registered before the run starts, removed when it ends. */
public final class ApprovalRegistry {
  private static final Approver NOBODY =
      Approver.unavailable("not approved: nobody can be asked for approval for this run");
  private final Map<String, Approver> approvers = new ConcurrentHashMap<>();

  public void register(String runId, Approver approver) {
    approvers.put(runId, approver);
  }

  public void runEnded(String runId) {
    approvers.remove(runId);
  }

  /** The run's approver; a run nobody registered is refused (fail closed). */
  public Approver forRun(String runId) {
    return approvers.getOrDefault(runId, NOBODY);
  }
}
