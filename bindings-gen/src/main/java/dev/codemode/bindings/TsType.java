package dev.codemode.bindings;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A TypeScript type expression with its operator kind, composed without ambiguity; a union keeps
 * its members so that nested unions flatten and duplicates disappear.
 */
record TsType(String text, Kind kind, List<TsType> members) {

  /** How tightly the expression binds, to decide on parentheses. */
  enum Kind { UNION, INTERSECTION, ATOM }

  static final TsType UNKNOWN = atom("unknown");
  static final TsType NEVER = atom("never");

  static TsType atom(String text) {
    return new TsType(text, Kind.ATOM, List.of());
  }

  boolean isUnknown() {
    return kind == Kind.ATOM && text.equals("unknown");
  }

  /** A union; duplicates removed, {@code unknown} absorbs everything, {@code never} is dropped. */
  static TsType union(List<TsType> members) {
    Set<String> seen = new HashSet<>();
    List<TsType> kept = new ArrayList<>();
    for (TsType member : members) {
      if (member.isUnknown()) {
        return UNKNOWN;
      }
      for (TsType part : member.kind == Kind.UNION ? member.members : List.of(member)) {
        if (!part.equals(NEVER) && seen.add(part.text)) {
          kept.add(part);
        }
      }
    }
    if (kept.isEmpty()) {
      return NEVER;
    }
    if (kept.size() == 1) {
      return kept.get(0);
    }
    List<String> texts = new ArrayList<>();
    for (TsType part : kept) {
      texts.add(part.text);
    }
    return new TsType(String.join(" | ", texts), Kind.UNION, List.copyOf(kept));
  }

  /** An intersection; {@code unknown} parts are dropped (they do not narrow anything). */
  static TsType intersection(List<TsType> parts) {
    Set<String> seen = new HashSet<>();
    List<String> texts = new ArrayList<>();
    TsType single = UNKNOWN;
    for (TsType part : parts) {
      if (part.isUnknown() || !seen.add(part.text)) {
        continue;
      }
      single = part;
      texts.add(part.kind == Kind.UNION ? "(" + part.text + ")" : part.text);
    }
    if (texts.size() <= 1) {
      return single;
    }
    return new TsType(String.join(" & ", texts), Kind.INTERSECTION, List.of());
  }

  /** {@code T[]} for one-line atoms, {@code Array<T>} otherwise. */
  static TsType arrayOf(TsType element) {
    if (element.kind == Kind.ATOM && !element.text.contains("\n") && !element.text.startsWith("{")) {
      return atom(element.text + "[]");
    }
    return atom("Array<" + element.text + ">");
  }

  /** The same type with {@code | null} added. */
  TsType orNull() {
    return union(List.of(this, atom("null")));
  }
}
