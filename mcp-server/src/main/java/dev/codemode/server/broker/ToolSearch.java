package dev.codemode.server.broker;

import dev.codemode.bindings.ToolDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Ranks tools for {@code codemode.searchTools(query)}: words of the query matched against tool names
 * (strongest), server names and descriptions, with light plural folding. Results are capped.
 */
public final class ToolSearch {
  /** Most results one search returns. */
  public static final int MAX_RESULTS = 20;
  private static final int MAX_DESCRIPTION = 160;

  private ToolSearch() {}

  /** One search result: {@code server.tool} and the first line of its description. */
  public record Hit(String name, String description, int score) {}

  /**
   * The best matches for {@code query} among the tools {@code visible} accepts (server, tool), best first,
   * ties by name; an empty query lists tools by name.
   */
  public static List<Hit> search(Catalog catalog, String query, BiPredicate<String, String> visible, int limit) {
    List<String> terms = words(query == null ? "" : query);
    String whole = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
    List<Hit> hits = new ArrayList<>();
    for (Map.Entry<String, ToolDescriptor> e : catalog.allTools()) {
      String server = e.getKey();
      ToolDescriptor tool = e.getValue();
      if (!visible.test(server, tool.name())) {
        continue;
      }
      int score = terms.isEmpty() ? 1 : score(server, tool, terms, whole);
      if (score > 0) {
        hits.add(new Hit(server + "." + tool.name(), firstLine(tool), score));
      }
    }
    hits.sort(Comparator.comparingInt(Hit::score).reversed().thenComparing(Hit::name));
    return hits.size() > limit ? List.copyOf(hits.subList(0, limit)) : List.copyOf(hits);
  }

  static int score(String server, ToolDescriptor tool, List<String> terms, String whole) {
    String name = tool.name().toLowerCase(Locale.ROOT);
    Set<String> nameWords = new HashSet<>(words(splitCamel(tool.name())));
    Set<String> serverWords = new HashSet<>(words(server));
    String text = ((tool.title() == null ? "" : tool.title()) + " " + (tool.description() == null ? "" : tool.description()))
        .toLowerCase(Locale.ROOT);
    Set<String> textWords = new HashSet<>(words(text));
    int score = 0;
    int matched = 0;
    for (String term : terms) {
      int s = 0;
      if (nameWords.contains(term)) {
        s += 10;
      } else if (name.contains(term)) {
        s += 6;
      }
      if (serverWords.contains(term)) {
        s += 2;
      }
      if (textWords.contains(term)) {
        s += 3;
      } else if (term.length() >= 3 && text.contains(term)) {
        s += 1;
      }
      score += s;
      matched += s > 0 ? 1 : 0;
    }
    if (matched == 0) {
      return 0;
    }
    if (whole.equals(name) || whole.equals(server.toLowerCase(Locale.ROOT) + "." + name)) {
      score += 50;
    }
    return score + 5 * matched;
  }

  /** The first non-blank line of the tool's description (else its title), bounded. */
  static String firstLine(ToolDescriptor tool) {
    String d = tool.description() == null || tool.description().isBlank() ? tool.title() : tool.description();
    if (d == null) {
      return "";
    }
    String line = d.strip().lines().findFirst().orElse("").strip();
    return line.length() <= MAX_DESCRIPTION ? line : line.substring(0, MAX_DESCRIPTION - 1) + "…";
  }

  /** Lower-case words (letters and digits), plurals folded ({@code entities} → {@code entity}). */
  static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    for (String w : s.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty()) {
        out.add(fold(w));
      }
    }
    return out;
  }

  private static String fold(String w) {
    if (w.length() > 4 && w.endsWith("ies")) {
      return w.substring(0, w.length() - 3) + "y";
    }
    if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) {
      return w.substring(0, w.length() - 1);
    }
    return w;
  }

  private static String splitCamel(String name) {
    return name.replaceAll("(?<=[a-z0-9])(?=[A-Z])", " ");
  }
}
