package dev.codemode.runtime;

import java.util.ArrayList;
import java.util.List;

/** What a run did at the boundary: denials, tool calls and egress decisions. Thread-safe; order kept. */
public final class RunJournal {
  private final List<Denial> denials = new ArrayList<>();
  private final List<ToolCallRecord> toolCalls = new ArrayList<>();
  private final List<EgressRecord> egress = new ArrayList<>();

  public synchronized void deny(Denial denial) {
    denials.add(denial);
  }

  public synchronized void toolCall(ToolCallRecord call) {
    toolCalls.add(call);
  }

  public synchronized void egress(EgressRecord record) {
    egress.add(record);
  }

  public synchronized List<Denial> denials() {
    return List.copyOf(denials);
  }

  public synchronized List<ToolCallRecord> toolCalls() {
    return List.copyOf(toolCalls);
  }

  public synchronized List<EgressRecord> egress() {
    return List.copyOf(egress);
  }
}
