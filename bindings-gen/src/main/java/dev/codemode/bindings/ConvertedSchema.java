package dev.codemode.bindings;

import java.util.List;

/** The TypeScript type aliases produced from one schema document: the root first, then its named {@code $ref} targets. */
public record ConvertedSchema(List<NamedType> types) {

  /** One {@code export type <name> = <type>;} declaration with an optional description for its JSDoc. */
  public record NamedType(String name, String description, String type) {}

  public ConvertedSchema {
    types = List.copyOf(types);
  }

  /** The root type alias. */
  public NamedType root() {
    return types.get(0);
  }

  /** All aliases as TypeScript source, each preceded by its JSDoc, separated by blank lines. */
  public String render() {
    StringBuilder out = new StringBuilder();
    for (NamedType type : types) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(new JsDoc().text(type.description()).render(""))
          .append("export type ").append(type.name()).append(" = ").append(type.type()).append(";\n");
    }
    return out.toString();
  }
}
