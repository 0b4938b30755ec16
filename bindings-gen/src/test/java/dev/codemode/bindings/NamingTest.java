package dev.codemode.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NamingTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "get-sum|getSum",
      "read_graph|readGraph",
      "list.items|listItems",
      "search files now|searchFilesNow",
      "GetSum|GetSum",
      "get-URL|getURL",
      "a--b__c..d|aBCD",
      "-leading-and-trailing-|leadingAndTrailing",
      "$ref|$ref",
      "with/slash:colon|withSlashColon",
      "v2-api|v2Api",
  })
  void camelCasesAtSeparators(String name, String identifier) {
    assertEquals(identifier, Naming.toolIdentifier(name));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "delete|delete_", "class|class_", "default|default_", "await|await_", "yield|yield_",
      "let|let_", "enum|enum_", "arguments|arguments_", "eval|eval_", "undefined|undefined_",
      "callTool|callTool_", "call_tool|callTool_", "then|then_", "new|new_", "import|import_",
  })
  void reservedWordsGetASuffix(String name, String identifier) {
    assertEquals(identifier, Naming.toolIdentifier(name));
  }

  @Test
  void leadingDigitGetsUnderscorePrefix() {
    assertEquals("_2fa", Naming.toolIdentifier("2fa"));
    assertEquals("_3dModel", Naming.toolIdentifier("3d-model"));
    assertEquals("_42", Naming.toolIdentifier("42"));
  }

  @Test
  void nonAsciiLettersAreKeptOthersDropped() {
    assertEquals("donnéesLire", Naming.toolIdentifier("données.lire"));
    assertEquals("検索する", Naming.toolIdentifier("検索する"));
    assertEquals("überPrüfen", Naming.toolIdentifier("über-prüfen"));
    assertEquals("launch", Naming.toolIdentifier("\uD83D\uDE80launch"));
    assertEquals("rocketLaunch", Naming.toolIdentifier("rocket\uD83D\uDE80launch"));
    assertEquals("aB", Naming.toolIdentifier("a\u200Db"));
    assertEquals("lineBreak", Naming.toolIdentifier("line\nbreak"));
  }

  @Test
  void emptyOrSymbolOnlyNamesFallBack() {
    assertEquals("tool", Naming.toolIdentifier(""));
    assertEquals("tool", Naming.toolIdentifier("---"));
    assertEquals("tool", Naming.toolIdentifier("\uD83D\uDE80"));
    assertEquals("server", Naming.serverIdentifier(""));
    assertEquals("server", Naming.serverIdentifier("../.."));
  }

  @Test
  void serverNamesFollowTheSameRule() {
    assertEquals("myServer", Naming.serverIdentifier("my-server"));
    assertEquals("etcPasswd", Naming.serverIdentifier("../etc/passwd"));
    assertEquals("class_", Naming.serverIdentifier("class"));
    assertEquals(Map.of("a-b", "aB", "a_b", "aB_2"), Naming.serverIdentifiersFor(List.of("a_b", "a-b")));
  }

  @Test
  void collisionsResolveInExactSortOrder() {
    Map<String, String> ids = Naming.identifiersFor(List.of("get_sum", "getSum", "get-sum", "other"));
    assertEquals(List.of("get-sum", "getSum", "get_sum", "other"), new ArrayList<>(ids.keySet()));
    assertEquals(List.of("getSum", "getSum_2", "getSum_3", "other"), new ArrayList<>(ids.values()));
  }

  @Test
  void collisionResolutionDoesNotDependOnInputOrder() {
    List<String> names = new ArrayList<>(List.of("x.y", "x-y", "xY", "x_y", "X-y", "delete", "delete_", "2a", "_2a"));
    Map<String, String> first = Naming.identifiersFor(names);
    Collections.reverse(names);
    assertEquals(first, Naming.identifiersFor(names));
    assertEquals("delete_", first.get("delete"));
    assertEquals("delete__2", first.get("delete_"));
    assertEquals("_2a", first.get("2a"));
    assertEquals("_2a_2", first.get("_2a"));
  }

  @Test
  void suffixSkipsIdentifiersAlreadyTaken() {
    Map<String, String> ids = Naming.identifiersFor(List.of("a-b", "a_b", "aB2", "a.b"));
    assertEquals("aB", ids.get("a-b"));
    assertEquals("aB_2", ids.get("a.b"));
    assertEquals("aB_3", ids.get("a_b"));
    assertEquals("aB2", ids.get("aB2"));
  }

  @Test
  void duplicateNamesMapOnce() {
    assertEquals(Map.of("a", "a"), Naming.identifiersFor(List.of("a", "a")));
  }

  @Test
  void everyIdentifierIsUnique() {
    List<String> names = new ArrayList<>();
    for (String a : List.of("", "-", "_", ".", "a", "A", "1", "é", "class")) {
      for (String b : List.of("", "-", "_", "b", "B", "2", "class")) {
        names.add(a + b);
      }
    }
    Map<String, String> ids = Naming.identifiersFor(names);
    assertEquals(ids.size(), new java.util.HashSet<>(ids.values()).size(), ids.toString());
  }
}
