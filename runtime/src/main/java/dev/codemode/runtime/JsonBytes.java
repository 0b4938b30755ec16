package dev.codemode.runtime;

/** The size a string takes in a JSON answer: UTF-8 bytes after JSON escaping, quotes included. */
final class JsonBytes {
  private JsonBytes() {}

  static int of(String s) {
    if (s == null) {
      return 4;
    }
    int n = 2;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || Character.isSurrogate(c)) {
        n += 6; // an escape; a lone surrogate may be written as one
      } else if (c == '"' || c == '\\') {
        n += 2;
      } else if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
