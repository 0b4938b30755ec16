package dev.codemode.policies.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ToolAllowlistTest {

  @ParameterizedTest(name = "{0} vs {1}.{2} -> {3}")
  @CsvSource({
      "everything.get-sum,everything,get-sum,true",
      "everything.get-sum,everything,get-sum2,false",
      "everything.get-sum,everything,Get-sum,false",
      "everything.get-sum,Everything,get-sum,false",
      "everything.*,everything,echo,true",
      "everything.*,everything,a.b.c,true",
      "everything.*,everythingelse,echo,false",
      "everything.*,every,echo,false",
      "*.read_graph,memory,read_graph,true",
      "*.read_graph,memory,read_graph_all,false",
      "*.read_graph,memory,x.read_graph,false",
      "github.get_*,github,get_issue,true",
      "github.get_*,github,list_issues,false",
      "fs.read.file,fs,read.file,true",
      "fs.read.file,fs.read,file,false",
      "fs.*,fs.read,file,false",
      "*.*,any,thing,true",
      "*.*,bad.server,thing,false",
      "git*.x,github,x,true",
      "git*.x,ogithub,x,false",
  })
  void matches(String pattern, String server, String tool, boolean expected) {
    assertEquals(expected, ToolPattern.parse(pattern).matches(server, tool));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "everything", ".tool", "server.", "*", "**.x", "a.**", "a b.c", "a.b c", "a/b.c", "a.b\nc",
      "a.b\u0000", "a.b:c", "\u0435verything.x"})
  void invalidPatternsAreRefused(String pattern) {
    assertThrows(IllegalArgumentException.class, () -> ToolPattern.parse(pattern));
  }

  @Test
  void emptyProfileDeniesEverythingEvenWhenTheCallAsks() {
    ToolAllowlist list = ToolAllowlist.effective(List.of(), List.of("*.*"));
    ToolDecision d = list.check("everything", "echo");
    assertFalse(d.allowed());
    assertTrue(d.reason().contains("tools.allow is empty"), d.reason());
  }

  @Test
  void callCanOnlyNarrow() {
    ToolAllowlist list = ToolAllowlist.effective(List.of("everything.*"), List.of("everything.echo", "memory.*"));
    assertTrue(list.allows("everything", "echo"));
    ToolDecision notInCall = list.check("everything", "get-sum");
    assertFalse(notInCall.allowed());
    assertEquals("tool 'everything.get-sum' is not in this call's allowed_tools [everything.echo, memory.*]", notInCall.reason());
    ToolDecision widened = list.check("memory", "read_graph");
    assertFalse(widened.allowed());
    assertEquals("tool 'memory.read_graph' is not in the profile's tools.allow [everything.*]", widened.reason());
  }

  @Test
  void nullCallListDoesNotNarrowButAnEmptyOneDeniesAll() {
    assertTrue(ToolAllowlist.effective(List.of("everything.*"), null).allows("everything", "echo"));
    assertFalse(ToolAllowlist.effective(List.of("everything.*"), List.of()).allows("everything", "echo"));
  }

  @Test
  void reasonsNameThePatterns() {
    ToolDecision d = ToolAllowlist.effective(List.of("memory.read_graph", "everything.*"), List.of("*.echo")).check("everything", "echo");
    assertTrue(d.allowed());
    assertEquals("allowed by tools.allow pattern 'everything.*' and allowed_tools pattern '*.echo'", d.reason());
  }

  @Test
  void invalidPatternNamesItsSource() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ToolAllowlist.effective(List.of("a.b"), List.of("nodot")));
    assertTrue(e.getMessage().startsWith("allowed_tools: "), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ToolAllowlist.of(List.of("a.b", "")));
    assertTrue(e.getMessage().startsWith("tools.allow: "), e.getMessage());
  }

  @Test
  void controlCharactersInNamesNeverReachReasons() {
    ToolDecision d = ToolAllowlist.of(List.of("a.b")).check("a", "b\r\nx");
    assertFalse(d.allowed());
    assertFalse(d.reason().contains("\r") || d.reason().contains("\n"), d.reason());
  }
}
