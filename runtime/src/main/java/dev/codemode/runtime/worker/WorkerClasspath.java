package dev.codemode.runtime.worker;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The application's class path as real files, for the worker JVM: {@code java.class.path} with every
 * jar's manifest {@code Class-Path} expanded (the server runs as {@code -jar codemode.jar} with its
 * dependencies in {@code lib/}). Entries that do not exist are dropped.
 */
final class WorkerClasspath {
  private WorkerClasspath() {}

  static List<Path> current() {
    Set<Path> out = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        add(Path.of(entry).toAbsolutePath(), out);
      }
    }
    return new ArrayList<>(out);
  }

  private static void add(Path path, Set<Path> out) {
    Path real;
    try {
      real = path.toRealPath();
    } catch (IOException e) {
      return;
    }
    if (!out.add(real) || !Files.isRegularFile(real) || !real.toString().endsWith(".jar")) {
      return;
    }
    try (JarFile jar = new JarFile(real.toFile())) {
      Manifest m = jar.getManifest();
      String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
      if (cp == null) {
        return;
      }
      URI base = real.getParent().toUri();
      for (String item : cp.trim().split("\\s+")) {
        if (!item.isEmpty()) {
          add(Path.of(base.resolve(item)), out);
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      // An unreadable jar or a bad manifest entry: the worker's start-up will say what is missing.
    }
  }
}
