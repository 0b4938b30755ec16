package dev.codemode.policies.fs;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled path glob, matched segment by segment and case-insensitively: deny rules must also hold on
 * host file systems that ignore case (macOS, Windows), where {@code .ENV} opens {@code .env}. Case is
 * folded in one place, {@link #fold}, applied to the pattern when it is compiled and to each name when it
 * is matched.
 *
 * <p>Syntax: {@code *} any run of characters within one segment, {@code ?} one character,
 * {@code [abc]}, {@code [a-z]}, {@code [!abc]} one character of (not of) a class, {@code **} as a
 * whole segment any number (zero or more) of segments. A pattern starting with {@code /} is
 * anchored at the root; any other pattern may start at any depth (as if prefixed by
 * {@code **}{@code /}). Because these are deny rules, {@code *}, {@code ?} and {@code **} also
 * match names starting with a dot. There is no escape character: a backslash is rejected, as are
 * empty, {@code .} and {@code ..} segments, and {@code **} inside a segment.
 */
public final class GlobPattern {
  private final String text;
  private final List<Segment> segments;

  private GlobPattern(String text, List<Segment> segments) {
    this.text = text;
    this.segments = segments;
  }

  /** Compiles a pattern; throws {@link IllegalArgumentException} saying what is wrong with it. */
  public static GlobPattern compile(String pattern) {
    if (pattern == null || pattern.isEmpty()) {
      throw new IllegalArgumentException("empty glob");
    }
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        throw new IllegalArgumentException("glob '" + pattern + "': backslash is not supported");
      }
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("glob '" + pattern + "': control character");
      }
    }
    boolean anchored = pattern.charAt(0) == '/';
    String body = anchored ? pattern.substring(1) : pattern;
    List<Segment> compiled = new ArrayList<>();
    if (!anchored) {
      compiled.add(Segment.ANY_SEGMENTS);
    }
    for (String part : body.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new IllegalArgumentException("glob '" + pattern + "': empty, '.' or '..' segment");
      }
      if (part.equals("**")) {
        if (compiled.isEmpty() || compiled.get(compiled.size() - 1) != Segment.ANY_SEGMENTS) {
          compiled.add(Segment.ANY_SEGMENTS);
        }
        continue;
      }
      if (part.contains("**")) {
        throw new IllegalArgumentException("glob '" + pattern + "': '**' must be a whole segment");
      }
      compiled.add(Segment.compile(pattern, part));
    }
    return new GlobPattern(pattern, List.copyOf(compiled));
  }

  /** Simple case folding of one code point: upper then lower case, so {@code K}, {@code k} and the Kelvin sign agree. */
  static int fold(int codePoint) {
    return Character.toLowerCase(Character.toUpperCase(codePoint));
  }

  /** The pattern as written. */
  public String text() {
    return text;
  }

  /** Whether the absolute path given by its segments matches. */
  public boolean matches(List<String> path) {
    int p = segments.size();
    int s = path.size();
    // done[j] is whether pattern segments i.. match path segments j.., computed from i = p down.
    boolean[] next = new boolean[s + 1];
    next[s] = true;
    for (int i = p - 1; i >= 0; i--) {
      boolean[] done = new boolean[s + 1];
      Segment seg = segments.get(i);
      for (int j = s; j >= 0; j--) {
        if (seg == Segment.ANY_SEGMENTS) {
          done[j] = next[j] || (j < s && done[j + 1]);
        } else {
          done[j] = j < s && next[j + 1] && seg.matches(path.get(j));
        }
      }
      next = done;
    }
    return next[0];
  }

  /** Whether the virtual path matches. */
  public boolean matches(VirtualPath path) {
    return matches(path.segments());
  }

  @Override
  public String toString() {
    return text;
  }

  /** One pattern segment: a sequence of single-character tokens and stars. */
  private static final class Segment {
    static final Segment ANY_SEGMENTS = new Segment(new Token[0]);

    private final Token[] tokens;

    private Segment(Token[] tokens) {
      this.tokens = tokens;
    }

    static Segment compile(String pattern, String part) {
      List<Token> tokens = new ArrayList<>();
      int[] cps = part.codePoints().toArray();
      int i = 0;
      while (i < cps.length) {
        int c = cps[i];
        if (c == '*') {
          tokens.add(Token.STAR);
          i++;
        } else if (c == '?') {
          tokens.add(Token.ANY_CHAR);
          i++;
        } else if (c == '[') {
          i = compileClass(pattern, cps, i + 1, tokens);
        } else if (c == ']') {
          throw new IllegalArgumentException("glob '" + pattern + "': unmatched ']'");
        } else {
          tokens.add(Token.literal(fold(c)));
          i++;
        }
      }
      return new Segment(tokens.toArray(new Token[0]));
    }

    private static int compileClass(String pattern, int[] cps, int start, List<Token> out) {
      int i = start;
      boolean negated = i < cps.length && (cps[i] == '!' || cps[i] == '^');
      if (negated) {
        i++;
      }
      List<int[]> ranges = new ArrayList<>();
      while (i < cps.length && cps[i] != ']') {
        int lo = cps[i];
        if (lo == '[') {
          throw new IllegalArgumentException("glob '" + pattern + "': '[' inside a class");
        }
        if (i + 2 < cps.length && cps[i + 1] == '-' && cps[i + 2] != ']') {
          int hi = cps[i + 2];
          if (hi < lo) {
            throw new IllegalArgumentException("glob '" + pattern + "': reversed range in class");
          }
          ranges.add(new int[] {lo, hi});
          i += 3;
        } else {
          ranges.add(new int[] {lo, lo});
          i++;
        }
      }
      if (i >= cps.length) {
        throw new IllegalArgumentException("glob '" + pattern + "': unterminated '['");
      }
      if (ranges.isEmpty()) {
        throw new IllegalArgumentException("glob '" + pattern + "': empty class");
      }
      out.add(Token.charClass(ranges, negated));
      return i + 1;
    }

    boolean matches(String name) {
      int[] cps = name.codePoints().map(GlobPattern::fold).toArray();
      int t = 0;
      int c = 0;
      int starT = -1;
      int starC = -1;
      while (c < cps.length) {
        if (t < tokens.length && tokens[t] != Token.STAR && tokens[t].accepts(cps[c])) {
          t++;
          c++;
        } else if (t < tokens.length && tokens[t] == Token.STAR) {
          starT = t++;
          starC = c;
        } else if (starT >= 0) {
          t = starT + 1;
          c = ++starC;
        } else {
          return false;
        }
      }
      while (t < tokens.length && tokens[t] == Token.STAR) {
        t++;
      }
      return t == tokens.length;
    }
  }

  /** A token matching exactly one (folded) code point, or the star. */
  private static final class Token {
    static final Token STAR = new Token(null, false);
    static final Token ANY_CHAR = new Token(null, true);

    private final java.util.BitSet folded;
    private final boolean negated;

    private Token(java.util.BitSet folded, boolean negated) {
      this.folded = folded;
      this.negated = negated;
    }

    static Token literal(int folded) {
      java.util.BitSet b = new java.util.BitSet();
      b.set(folded);
      return new Token(b, false);
    }

    /** A class holds the folded form of every code point in its ranges, so a negated class rejects every case. */
    static Token charClass(List<int[]> ranges, boolean negated) {
      java.util.BitSet b = new java.util.BitSet();
      for (int[] r : ranges) {
        for (int c = r[0]; c <= r[1]; c++) {
          b.set(fold(c));
        }
      }
      return new Token(b, negated);
    }

    boolean accepts(int c) {
      if (folded == null) {
        return this == ANY_CHAR;
      }
      return folded.get(c) != negated;
    }
  }
}
