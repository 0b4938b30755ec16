package dev.codemode.runtime.ts;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a generated (line, column) back to the original line through a source map's {@code mappings}
 * (Base64 VLQ). Only positions are decoded; names and sources are not needed here.
 */
public final class SourceMapLines {
  private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  /** Per generated line (0-based): segments of {generated column, original line}, in column order. */
  private final List<List<int[]>> lines = new ArrayList<>();

  public SourceMapLines(String mappings) {
    int srcLine = 0;
    int srcCol = 0;
    int srcIdx = 0;
    int name = 0;
    List<int[]> current = new ArrayList<>();
    int genCol = 0;
    int i = 0;
    while (i <= mappings.length()) {
      if (i == mappings.length() || mappings.charAt(i) == ';') {
        lines.add(current);
        current = new ArrayList<>();
        genCol = 0;
        i++;
        continue;
      }
      if (mappings.charAt(i) == ',') {
        i++;
        continue;
      }
      int[] fields = new int[5];
      int n = 0;
      while (i < mappings.length() && mappings.charAt(i) != ',' && mappings.charAt(i) != ';') {
        int value = 0;
        int shift = 0;
        boolean more;
        do {
          int digit = BASE64.indexOf(mappings.charAt(i++));
          if (digit < 0) {
            throw new IllegalArgumentException("bad source map");
          }
          more = (digit & 32) != 0;
          value |= (digit & 31) << shift;
          shift += 5;
        } while (more);
        if (n < 5) {
          fields[n++] = (value & 1) != 0 ? -(value >>> 1) : (value >>> 1);
        }
      }
      genCol += fields[0];
      if (n >= 4) {
        srcIdx += fields[1];
        srcLine += fields[2];
        srcCol += fields[3];
        if (n == 5) {
          name += fields[4];
        }
        current.add(new int[] {genCol, srcLine});
      }
    }
  }

  /** The original 0-based line of generated 0-based {@code line} at {@code column}, or -1 when unmapped. */
  public int originalLine(int line, int column) {
    if (line < 0 || line >= lines.size()) {
      return -1;
    }
    List<int[]> segments = lines.get(line);
    if (segments.isEmpty()) {
      return -1;
    }
    int[] best = segments.get(0);
    for (int[] s : segments) {
      if (s[0] <= column) {
        best = s;
      }
    }
    return best[1];
  }
}
