package dev.codemode.bindings;

import java.util.HashSet;
import java.util.Set;

/**
 * Allocates unique TypeScript type names within one declaration file: PascalCase of the hint's
 * words (as in {@link Naming}), {@code _} prefix before a non-letter start, {@code _} suffix on
 * reserved names, then {@code _2}, {@code _3}... on a repeat. Allocation order decides who wins.
 */
public final class TypeNames {

  private static final Set<String> RESERVED_TYPES = Set.of(
      "any", "unknown", "never", "object", "string", "number", "boolean", "symbol", "bigint",
      "undefined", "null", "void", "this", "Array", "Record", "Promise", "Object", "String",
      "Number", "Boolean", "Symbol", "Function", "Date", "Map", "Set", "Partial", "Required",
      "Readonly", "Pick", "Omit");

  private final Set<String> used = new HashSet<>();

  /** A fresh name derived from {@code hint} (fallback {@code Type}), now taken. */
  public String allocate(String hint) {
    String words = Naming.camelWords(hint);
    String base = words.isEmpty()
        ? "Type"
        : new StringBuilder().appendCodePoint(Character.toUpperCase(words.codePointAt(0)))
            .append(words.substring(Character.charCount(words.codePointAt(0)))).toString();
    if (!Naming.isIdentifierStart(base.codePointAt(0))) {
      base = "_" + base;
    }
    if (Naming.isReserved(base) || RESERVED_TYPES.contains(base)) {
      base = base + "_";
    }
    String name = base;
    for (int n = 2; !used.add(name); n++) {
      name = base + "_" + n;
    }
    return name;
  }
}
