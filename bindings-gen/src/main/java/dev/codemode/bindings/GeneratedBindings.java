package dev.codemode.bindings;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Generated files by relative path ({@code /}-separated), sorted by path: {@code servers.d.ts},
 * {@code servers/<serverIdentifier>/index.d.ts} and {@code servers/<serverIdentifier>/index.js}.
 */
public record GeneratedBindings(SortedMap<String, String> files) {

  public GeneratedBindings {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }
}
