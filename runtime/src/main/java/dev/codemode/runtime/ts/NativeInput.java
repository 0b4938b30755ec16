package dev.codemode.runtime.ts;

/**
 * Source text that passed the checks every input to native code must pass: a size cap and a nesting
 * bound computed in Java, cheaply, before the native parser sees it. Native parsers recurse on the
 * program's nesting and a stack overflow in native code kills the whole JVM (no Java exception), so
 * the only instance of this type is one that {@link #check} returned, and {@link TypeScript} accepts
 * nothing else.
 *
 * <p>The bound is an over-estimate of the parser's recursion: one scan, with strings, comments,
 * template literals and regular expressions told apart from code, in which every token adds one to
 * the depth of the bracket level it is in ({@code ( [ { ${} and template literals open levels, whose
 * counts add up). A count falls back only where a parse cannot still be nested in what came before: at
 * a statement boundary, or at a comma, down to the last construct that could enclose the comma's list
 * (a statement head, a label, a type-argument {@code <}). Where the scan cannot tell a regular
 * expression from a division and the choice would change the structure it sees, the input is refused
 * rather than guessed at.
 */
public final class NativeInput {
  /** Characters the native parser may be given. */
  public static final int MAX_CHARS = (1 << 20) + 4096;
  /** The nesting bound (see the class comment); the parser thread's stack is sized for it. */
  public static final int MAX_DEPTH = 2000;

  private final String text;
  private final boolean module;

  private NativeInput(String text, boolean module) {
    this.text = text;
    this.module = module;
  }

  /** Refused input: the message names the limit and where it was crossed. */
  public static class RefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    RefusedException(String message, int line) {
      super(message, null, false, false);
      this.line = line;
    }

    /** The 1-based line of {@code text} where the limit was crossed (0 when not tied to a line). */
    public int line() {
      return line;
    }
  }

  /** Refused because the scan's depth went past its bound (not for an ambiguity it would not guess at). */
  static final class TooDeepException extends RefusedException {
    private static final long serialVersionUID = 1L;

    TooDeepException(String message, int line) {
      super(message, line);
    }
  }

  /**
   * Whether {@code text} nests deeper than {@code maxDepth} by the scan's over-estimate (see the class
   * comment); code the scan cannot read without guessing counts as not deeper.
   */
  public static boolean nestsDeeperThan(String text, int maxDepth) {
    try {
      new NestingScan(text, maxDepth).run();
      return false;
    } catch (TooDeepException e) {
      return true;
    } catch (RefusedException e) {
      return false;
    }
  }

  /** {@code text} checked for the native parser; throws when it is over a limit. */
  public static NativeInput check(String text, boolean module) throws RefusedException {
    if (text.length() > MAX_CHARS) {
      throw new RefusedException("code of " + text.length() + " characters is over the " + MAX_CHARS
          + "-character limit for TypeScript", 0);
    }
    new NestingScan(text).run();
    return new NativeInput(text, module);
  }

  String text() {
    return text;
  }

  boolean module() {
    return module;
  }
}
