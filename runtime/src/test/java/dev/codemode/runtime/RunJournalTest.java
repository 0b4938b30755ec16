package dev.codemode.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class RunJournalTest {
  private static int jsonBytes(List<Denial> denials) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(denials).length;
  }

  @Test
  void eachJournalKeepsItsHeadAndCountsTheRestExactly() {
    RunJournal j = new RunJournal();
    for (int i = 0; i < 50_000; i++) {
      j.deny(new Denial(DenialRule.FS_DENY_GLOB, "/deps/" + i + "/.env", "deny_globs '**/.env'"));
      j.egress(new EgressRecord("GET", "https://h" + i + ".example/", "denied"));
      j.toolCall(new ToolCallRecord("memory.read_graph", true, 1));
    }
    assertTrue(j.denials().size() > 10 && j.denials().size() <= RunJournal.MAX_ENTRIES, "" + j.denials().size());
    assertEquals("/deps/0/.env", j.denials().get(0).target(), "the head is the first entries");
    assertEquals(50_000, j.denials().size() + j.drops().denials());
    assertEquals(50_000, j.egress().size() + j.drops().egress());
    assertEquals(50_000, j.toolCalls().size() + j.drops().toolCalls());
  }

  @Test
  void aCallRefusedBeforeItRanStaysMarkedAsNotRun() {
    RunJournal j = new RunJournal();
    j.toolCall(ToolCallRecord.refused("everything.get-sum"));
    j.toolCall(new ToolCallRecord("everything.echo", true, 3));
    assertEquals(List.of(ToolCallRecord.refused("everything.get-sum"), new ToolCallRecord("everything.echo", true, 3)),
        j.toolCalls());
  }

  @Test
  void hugeAndEscapeHeavyTargetsStayWithinTheByteBudget() throws Exception {
    RunJournal j = new RunJournal();
    for (int i = 0; i < 1_000; i++) {
      j.deny(new Denial(DenialRule.NET_RULE, "\u0001".repeat(100_000) + i, "\u4e16".repeat(100_000)));
    }
    assertTrue(jsonBytes(j.denials()) <= RunJournal.MAX_JSON_BYTES + 6 * 1024, "kept denials: " + jsonBytes(j.denials()));
    assertTrue(j.denials().get(0).target().endsWith("more characters]"), "long strings are clipped with a marker");
    assertEquals(1_000, j.denials().size() + j.drops().denials());
  }

  @Test
  void aWatchedDenialIsKeptPastTheHeadOnceAndLaterOnesAreDropped() {
    RunJournal j = new RunJournal();
    Predicate<Denial> denyGlob = d -> d.rule() == DenialRule.FS_DENY_GLOB;
    j.watch(List.of(denyGlob));
    for (int i = 0; i < 5_000; i++) {
      j.deny(new Denial(DenialRule.FS_READ_ONLY, "/deps/x" + i, "read-only mount /deps"));
    }
    j.deny(new Denial(DenialRule.FS_DENY_GLOB, "/deps/.env", "deny_globs '**/.env'"));
    j.deny(new Denial(DenialRule.FS_DENY_GLOB, "/deps/a/.env", "deny_globs '**/.env'"));
    j.deny(new Denial(DenialRule.FS_READ_ONLY, "/deps/y", "read-only mount /deps"));
    List<Denial> kept = j.denials();
    assertEquals("/deps/.env", kept.get(kept.size() - 1).target(), "the first watched denial is kept after the head");
    assertEquals(1, kept.stream().filter(denyGlob).count());
    assertEquals(5_003, kept.size() + j.drops().denials());
  }
}
