package dev.codemode.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;

/**
 * The files that make the generated bindings an editing setup: {@code sandbox.d.ts} (the sandbox's other
 * globals: {@code codemode}, {@code fs} and {@code node:fs/promises}, {@code fetch}, {@code console},
 * timers), {@code tsconfig.json} (strict, every file a module so top-level {@code await} works) and
 * {@code typecheck.mjs} (tsc over that tsconfig, accepting a top-level {@code return}).
 */
public final class SandboxTypes {
  private static final List<String> FILES = List.of("sandbox.d.ts", "tsconfig.json", "typecheck.mjs");

  private SandboxTypes() {}

  /** {@code bindings} plus the three files above. */
  public static GeneratedBindings addTo(GeneratedBindings bindings) {
    TreeMap<String, String> files = new TreeMap<>(bindings.files());
    for (String name : FILES) {
      files.put(name, resource(name));
    }
    return new GeneratedBindings(files);
  }

  private static String resource(String name) {
    try (InputStream in = SandboxTypes.class.getResourceAsStream("sandbox/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource sandbox/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
