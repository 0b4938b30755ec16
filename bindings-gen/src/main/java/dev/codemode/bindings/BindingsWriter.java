package dev.codemode.bindings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes generated files under one directory, refusing any path that would land outside it. */
public final class BindingsWriter {

  private BindingsWriter() {}

  /** Writes every file as UTF-8 below {@code outDir} (created if missing). */
  public static void write(GeneratedBindings bindings, Path outDir) throws IOException {
    Path root = outDir.toAbsolutePath().normalize();
    for (Map.Entry<String, String> file : bindings.files().entrySet()) {
      Path target = resolveInside(root, file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
    }
  }

  /**
   * The absolute path of {@code relative} below {@code root}.
   *
   * @throws IllegalArgumentException if it is absolute, has empty, {@code .} or {@code ..} segments or
   *     a backslash, or would resolve outside {@code root}
   */
  static Path resolveInside(Path root, String relative) {
    if (relative.isEmpty() || relative.startsWith("/") || relative.indexOf('\\') >= 0
        || relative.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("refusing output path " + JsText.doubleQuoted(relative));
    }
    for (String segment : relative.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("refusing output path " + JsText.doubleQuoted(relative));
      }
    }
    Path target = root.resolve(relative).normalize();
    if (!target.startsWith(root) || target.equals(root)) {
      throw new IllegalArgumentException("refusing output path " + JsText.doubleQuoted(relative));
    }
    return target;
  }
}
