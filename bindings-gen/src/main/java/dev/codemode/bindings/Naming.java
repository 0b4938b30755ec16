package dev.codemode.bindings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deterministic mapping of MCP tool and server names to JavaScript identifiers.
 *
 * <p>Base rule ({@link #toolIdentifier}, {@link #serverIdentifier}):
 * <ol>
 *   <li>The name is split into words at every code point that is not a JavaScript identifier
 *       character ({@code -}, {@code .}, spaces, slashes, emoji, control characters...) and at
 *       {@code _}; those separators are dropped. {@code $}, ASCII letters and digits, and
 *       non-ASCII letters/digits that are valid in JS identifiers are kept. Zero-width joiners and
 *       other invisible format characters count as separators too.</li>
 *   <li>camelCase: the first word is kept as written; every later word gets its first code point
 *       upper-cased ({@code get-sum} → {@code getSum}, {@code read_graph} → {@code readGraph},
 *       {@code list.items} → {@code listItems}).</li>
 *   <li>Nothing left → {@code tool} (tools) or {@code server} (servers).</li>
 *   <li>A leading digit gets a {@code _} prefix ({@code 2fa} → {@code _2fa}).</li>
 *   <li>A reserved word (JS keywords, strict-mode and future reserved words, {@code arguments},
 *       {@code eval}, {@code undefined}, {@code NaN}, {@code Infinity}, {@code callTool} (the
 *       bridge import of every generated module) and {@code then} (an exported {@code then} would
 *       make the module namespace a thenable, hijacking {@code await import(...)}) gets a {@code _}
 *       suffix ({@code delete} → {@code delete_}).</li>
 * </ol>
 *
 * <p>Collisions ({@link #identifiersFor}, {@link #serverIdentifiersFor}): the distinct names are
 * sorted by exact string order ({@link String#compareTo}, i.e. UTF-16 code units). For every base
 * identifier, the first name in that order keeps it. The other names, again in that order, get the
 * base plus {@code _2}, {@code _3}, ... — the smallest suffix not already taken by another
 * identifier. Example: {@code get-sum}, {@code getSum}, {@code get_sum} (sorted) → {@code getSum},
 * {@code getSum_2}, {@code getSum_3}.
 */
public final class Naming {

  private static final Set<String> RESERVED = Set.of(
      "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default",
      "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "function",
      "if", "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this",
      "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "let", "static",
      "implements", "interface", "package", "private", "protected", "public", "arguments", "eval",
      "undefined", "NaN", "Infinity", "callTool", "then");

  private Naming() {}

  /** The base identifier of one tool name, before collision resolution. */
  public static String toolIdentifier(String name) {
    return identifier(name, "tool");
  }

  /** The base identifier of one server name, before collision resolution. */
  public static String serverIdentifier(String name) {
    return identifier(name, "server");
  }

  /** Tool name → unique identifier, in sorted name order; the runtime builds {@code servers.<s>.<id>} from it. */
  public static Map<String, String> identifiersFor(List<String> toolNames) {
    return resolve(toolNames, "tool");
  }

  /** Server name → unique identifier, in sorted name order; also the directory name under {@code servers/}. */
  public static Map<String, String> serverIdentifiersFor(List<String> serverNames) {
    return resolve(serverNames, "server");
  }

  /** Whether the word is reserved and therefore gets a {@code _} suffix. */
  public static boolean isReserved(String word) {
    return RESERVED.contains(word);
  }

  private static Map<String, String> resolve(List<String> names, String fallback) {
    List<String> sorted = new ArrayList<>(new TreeSet<>(names));
    Map<String, String> base = new LinkedHashMap<>();
    for (String name : sorted) {
      base.put(name, identifier(name, fallback));
    }
    Set<String> used = new HashSet<>();
    Map<String, String> result = new LinkedHashMap<>();
    for (String name : sorted) {
      if (used.add(base.get(name))) {
        result.put(name, base.get(name));
      }
    }
    Set<String> allBases = new HashSet<>(base.values());
    for (String name : sorted) {
      if (result.containsKey(name)) {
        continue;
      }
      String stem = base.get(name);
      int n = 2;
      while (used.contains(stem + "_" + n) || allBases.contains(stem + "_" + n)) {
        n++;
      }
      used.add(stem + "_" + n);
      result.put(name, stem + "_" + n);
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    for (String name : sorted) {
      ordered.put(name, result.get(name));
    }
    return Collections.unmodifiableMap(ordered);
  }

  private static String identifier(String name, String fallback) {
    String id = camelWords(name);
    if (id.isEmpty()) {
      id = fallback;
    }
    if (!isIdentifierStart(id.codePointAt(0))) {
      id = "_" + id;
    }
    return isReserved(id) ? id + "_" : id;
  }

  /** Steps 1 and 2 of the rule: the kept characters joined in camelCase; may be empty. */
  static String camelWords(String name) {
    StringBuilder out = new StringBuilder();
    boolean wordStart = false;
    int i = 0;
    while (i < name.length()) {
      int cp = name.codePointAt(i);
      i += Character.charCount(cp);
      if (!isIdentifierPart(cp) || cp == '_') {
        wordStart = out.length() > 0;
        continue;
      }
      if (wordStart) {
        cp = Character.toUpperCase(cp);
        wordStart = false;
      }
      out.appendCodePoint(cp);
    }
    return out.toString();
  }

  /** Whether the code point may start a JavaScript identifier (as used by this rule). */
  static boolean isIdentifierStart(int cp) {
    if (cp < 128) {
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '$' || cp == '_';
    }
    return Character.isUnicodeIdentifierStart(cp) && !Character.isIdentifierIgnorable(cp);
  }

  /** Whether the code point may continue a JavaScript identifier (as used by this rule). */
  static boolean isIdentifierPart(int cp) {
    if (cp < 128) {
      return isIdentifierStart(cp) || (cp >= '0' && cp <= '9');
    }
    return Character.isUnicodeIdentifierPart(cp) && !Character.isIdentifierIgnorable(cp);
  }
}
