package dev.codemode.server.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.bindings.ServerTools;
import dev.codemode.bindings.ToolDescriptor;
import dev.codemode.server.e2e.TsClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ranking over the real tool lists of the three reference servers (captured by bindings-gen's tests). */
class ToolSearchTest {
  private static Catalog catalog;

  @BeforeAll
  static void load() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Path captured = TsClient.repoRoot().resolve("bindings-gen/src/test/resources/captured");
    List<ServerTools> servers = new ArrayList<>();
    for (String name : List.of("everything", "filesystem", "memory")) {
      try (InputStream in = Files.newInputStream(captured.resolve(name + ".json"))) {
        JsonNode server = json.readTree(in).path("servers").path(name);
        List<ToolDescriptor> tools = new ArrayList<>();
        server.path("tools").forEach(t -> tools.add(new ToolDescriptor(t.get("name").asText(),
            t.path("title").asText(null), t.path("description").asText(null), t.get("inputSchema"), t.get("outputSchema"))));
        servers.add(new ServerTools(name, server.path("description").asText(null), tools));
      }
    }
    catalog = Catalog.of(servers);
  }

  private static List<String> names(String query) {
    return ToolSearch.search(catalog, query, (s, t) -> true, ToolSearch.MAX_RESULTS).stream()
        .map(ToolSearch.Hit::name).toList();
  }

  @Test
  void nameMatchesRankFirst() {
    assertEquals("memory.create_entities", names("create entities").get(0));
    assertEquals("everything.get-sum", names("sum").get(0));
    assertEquals("filesystem.read_text_file", names("read text file").get(0));
  }

  @Test
  void pluralsFold() {
    assertEquals("memory.create_entities", names("create entity").get(0));
    assertTrue(names("relation").subList(0, 2).containsAll(List.of("memory.create_relations", "memory.delete_relations")));
  }

  @Test
  void exactNameWins() {
    assertEquals("memory.read_graph", names("read_graph").get(0));
    assertEquals("everything.echo", names("everything.echo").get(0));
  }

  @Test
  void descriptionWordsMatchWhenTheNameDoesNot() {
    List<String> hits = names("knowledge graph");
    assertTrue(hits.stream().allMatch(n -> n.startsWith("memory.")), hits.toString());
    assertEquals(9, hits.size());
  }

  @Test
  void unrelatedQueriesFindNothing() {
    assertEquals(List.of(), names("xylophone quantum"));
  }

  @Test
  void resultsAreCappedAndEmptyQueryListsByName() {
    List<String> all = names("");
    assertEquals(ToolSearch.MAX_RESULTS, all.size());
    assertEquals(all.stream().sorted().toList(), all);
    assertEquals(3, ToolSearch.search(catalog, "file", (s, t) -> true, 3).size());
  }

  @Test
  void onlyVisibleToolsAreListed() {
    List<ToolSearch.Hit> hits = ToolSearch.search(catalog, "read", (s, t) -> s.equals("memory"), 20);
    assertEquals(List.of("memory.read_graph"), hits.stream().map(ToolSearch.Hit::name).toList());
  }

  @Test
  void descriptionIsTheFirstLineOnly() {
    ToolDescriptor t = new ToolDescriptor("x", null, "\n  First line.\nSecond line", new ObjectMapper().createObjectNode(), null);
    assertEquals("First line.", ToolSearch.firstLine(t));
    ToolDescriptor titled = new ToolDescriptor("y", "The title", null, new ObjectMapper().createObjectNode(), null);
    assertEquals("The title", ToolSearch.firstLine(titled));
  }

  @Test
  void catalogNamesServersAndToolsLikeTheGeneratedWrappers() {
    Map<String, Map<String, String>> sandbox = catalog.sandboxServers();
    assertEquals("get-sum", sandbox.get("everything").get("getSum"));
    assertEquals("create_entities", sandbox.get("memory").get("createEntities"));
    assertEquals("everything", catalog.serverName("everything").orElseThrow());
  }

  @Test
  void serverNamesThatAreNotIdentifiersAreMappedBack() {
    Catalog c = Catalog.of(List.of(new ServerTools("my-server", null, List.of(
        new ToolDescriptor("do_it", null, null, new ObjectMapper().createObjectNode(), null)))));
    assertEquals(Map.of("myServer", Map.of("doIt", "do_it")), c.sandboxServers());
    assertEquals("my-server", c.serverName("myServer").orElseThrow());
    assertEquals("my-server", c.serverName("my-server").orElseThrow());
    assertTrue(c.serverName("other").isEmpty());
  }
}
