package dev.codemode.bindings;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JSON Schema (draft-07 and 2020-12, as MCP servers emit them) to TypeScript type aliases.
 *
 * <ul>
 *   <li>{@code string}, {@code number}/{@code integer}, {@code boolean}, {@code null}; a list of
 *       types is a union; {@code nullable: true} adds {@code | null}; no type and no structural
 *       keyword is {@code unknown}; {@code properties}/{@code required}/{@code additionalProperties}
 *       imply an object, {@code items}/{@code prefixItems} an array.</li>
 *   <li>{@code const} and {@code enum} are literal unions (they take precedence over {@code type}).</li>
 *   <li>Objects: required properties plain, others {@code ?}; keys that are not ASCII identifiers are
 *       quoted; JSDoc per property from description, default, bounds, pattern, format, examples.
 *       Index signature: {@code additionalProperties} true or a schema, or
 *       {@code patternProperties}, gives {@code [key: string]: T} (with declared properties, {@code T}
 *       is {@code unknown} so TypeScript accepts it); {@code false} gives none; absent gives none when
 *       {@code properties} is declared (typos in arguments are caught) and
 *       {@code [key: string]: unknown} otherwise. No properties and no index:
 *       {@code Record<string, never>}.</li>
 *   <li>Arrays {@code T[]}; tuples from {@code prefixItems} or array-form {@code items}, rest from
 *       {@code items}/{@code additionalItems} (absent: open unless {@code maxItems} closes it),
 *       elements past {@code minItems} optional.</li>
 *   <li>{@code anyOf}/{@code oneOf} unions, {@code allOf} intersections (also with sibling keywords).</li>
 *   <li>{@code $ref} to {@code #}, {@code #/$defs/X}, {@code #/definitions/X}: named aliases, recursion
 *       safe (see {@link SchemaRefs}); other local pointers are inlined; remote refs are {@code unknown}.</li>
 *   <li>Hostile input: beyond {@link Limits#maxDepth} nesting or {@link Limits#maxNodes} visited schemas
 *       the type is {@code unknown}; more than {@link Limits#maxMembers} properties, members or
 *       literals are cut or widened. The walk never recurses deeper than the depth cap.</li>
 * </ul>
 */
public final class SchemaToTypeScript {

  /** Bounds on the walk over one schema document. */
  public record Limits(int maxDepth, int maxNodes, int maxMembers) {
    /** Generous for real servers (the reference servers stay under 100 nodes per schema). */
    public static final Limits DEFAULT = new Limits(32, 10_000, 1_000);

    public Limits {
      if (maxDepth < 1 || maxNodes < 1 || maxMembers < 1) {
        throw new IllegalArgumentException("limits must be positive");
      }
    }
  }

  private final Limits limits;

  /** A converter with {@link Limits#DEFAULT}. */
  public SchemaToTypeScript() {
    this(Limits.DEFAULT);
  }

  /** A converter with the given limits. */
  public SchemaToTypeScript(Limits limits) {
    this.limits = limits;
  }

  /**
   * Converts a schema document into the alias {@code rootName} plus named aliases for its
   * {@code $ref} targets, whose names are taken from {@code names} (shared across a declaration file).
   * {@code rootName} must already be allocated from {@code names}.
   */
  public ConvertedSchema convert(JsonNode schema, String rootName, TypeNames names) {
    return new SchemaConverter(schema, rootName, names, limits).convert();
  }

  /** Convenience: the declarations of one schema alone, as TypeScript source. */
  public String declarations(JsonNode schema, String rootName) {
    TypeNames names = new TypeNames();
    String root = names.allocate(rootName);
    return convert(schema, root, names).render();
  }
}
