package dev.codemode.runtime.ts;

import dev.codemode.runtime.ts.NativeInput.RefusedException;
import java.util.Set;

/**
 * The one pass behind {@link NativeInput#check}: an over-estimate of a parser's recursion depth (see
 * {@link NativeInput}); throws at the first point past {@link NativeInput#MAX_DEPTH}.
 */
final class NestingScan {
  // Identifier-like words after which a '/' starts a regular expression.
  private static final Set<String> REGEX_AFTER = Set.of("return", "typeof", "instanceof", "in", "of", "new",
      "delete", "void", "throw", "case", "do", "else", "extends", "yield", "await");
  // Words that can be read as an identifier as well: a '/' after them is ambiguous.
  private static final Set<String> CONTEXTUAL = Set.of("of", "yield", "await");
  // Words after whose paren group the statement body follows (the group is not an operand).
  private static final Set<String> HEADS = Set.of("if", "while", "for", "with");
  // Words that may enclose a comma-separated list that follows them at the same level.
  private static final Set<String> ENCLOSING = Set.of("if", "else", "for", "while", "do", "with", "return",
      "throw", "case", "default", "let", "const", "var", "using", "export", "declare", "yield", "await",
      "import", "namespace", "module", "abstract", "try", "catch", "finally", "switch", "type", "enum",
      "interface", "class", "function", "async", "implements", "extends");
  // Every word that is not a plain identifier: a plain identifier after a line break starts a new statement.
  private static final Set<String> WORDS = Set.of("as", "satisfies", "in", "instanceof", "of", "extends",
      "implements", "is", "keyof", "typeof", "infer", "readonly", "unique", "asserts", "from", "else", "catch",
      "finally", "while", "async", "get", "set", "static", "declare", "abstract", "public", "private",
      "protected", "override", "accessor", "out", "type", "namespace", "module", "global", "enum", "interface",
      "yield", "await", "assert", "with", "using", "default", "case", "function", "class", "new", "void",
      "delete", "do", "export", "import", "super", "debugger", "break", "continue", "accepts", "constructor");
  // Keywords that are operands themselves.
  private static final Set<String> OPERAND_WORDS = Set.of("this", "null", "true", "false", "super");
  // Words that start a statement after a line break that follows a complete operand.
  private static final Set<String> STATEMENT_STARTS = Set.of("this", "null", "true", "false", "const", "var",
      "let", "if", "for", "return", "throw", "switch", "try");

  private final String s;
  private final int n;
  private int i;
  private int line = 1;
  // Per bracket level: its opening character, the token count, the comma floor and the '<' floors.
  private char[] kind = new char[64];
  private int[] count = new int[64];
  private int[] floor = new int[64];
  private int[][] angles = new int[64][];
  private int[] angleTop = new int[64];
  private int depth;
  private int outer; // sum of the counts of the enclosing levels
  // What the previous token was.
  private boolean prevOperand;   // a complete operand: identifier, literal, ')', ']', '}', template
  private boolean prevRegexOk;   // a '/' next would start a regular expression
  private boolean prevAmbiguous; // a '/' next could be either
  private String prevWord = "";
  private boolean prevDot;
  private boolean boundary;      // a ';' or a line break since the previous token
  private boolean semicolon;
  private boolean lineStart = true;
  private boolean headGroupClosed;
  private byte[] group = new byte[64];
  private boolean braceClosed;
  private boolean beforePrevComma;

  private final int max;

  NestingScan(String s) {
    this(s, NativeInput.MAX_DEPTH);
  }

  /** A scan that stops at the first point past {@code max} instead of {@link NativeInput#MAX_DEPTH}. */
  NestingScan(String s, int max) {
    this.max = max;
    this.s = s;
    this.n = s.length();
    kind[0] = '{';
    angles[0] = new int[8];
    prevRegexOk = true;
  }

  void run() throws RefusedException {
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029') {
        newline(c);
        i++;
      } else if (c == ' ' || c == '\t' || c == '\u000b' || c == '\f' || c == '\u00a0' || c == '\ufeff'
          || (c > 127 && Character.getType(c) == Character.SPACE_SEPARATOR)) {
        i++;
      } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
        lineComment();
      } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        blockComment();
      } else if (c == '<' && s.startsWith("<!--", i)) {
        lineComment();
      } else if (c == '-' && lineStart && s.startsWith("-->", i)) {
        if (i == 0) {
          throw new RefusedException("code starting with '-->' is refused before TypeScript parsing", 1);
        }
        lineComment();
      } else if (c == '#' && i == 0 && i + 1 < n && s.charAt(1) == '!') {
        lineComment();
      } else {
        lineStart = false;
        token(c);
      }
    }
  }

  private void newline(char c) {
    if (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') {
      i++;
    }
    line++;
    lineStart = true;
    if (prevOperand) {
      boundary = true;
    }
  }

  private void lineComment() {
    while (i < n && !isLineEnd(s.charAt(i))) {
      i++;
    }
  }

  private void blockComment() {
    int end = s.indexOf("*/", i + 2);
    int stop = end < 0 ? n : end + 2;
    for (int k = i; k < stop; k++) {
      char c = s.charAt(k);
      if (isLineEnd(c)) {
        if (c == '\r' && k + 1 < stop && s.charAt(k + 1) == '\n') {
          k++;
        }
        line++;
        lineStart = true; // an HTML close comment may follow; no statement boundary is assumed
      }
    }
    i = stop;
  }

  private void token(char c) throws RefusedException {
    boolean regexOk = prevRegexOk;
    // After a line break that follows an operand, a '/' may start a statement (TypeScript ends a type
    // there) or continue the expression.
    boolean ambiguous = prevAmbiguous || (boundary && !semicolon && prevOperand);
    String word = null;
    if (isIdentStart(c)) {
      int start = i;
      while (i < n && isIdentPart(s.charAt(i))) {
        i++;
      }
      word = s.substring(start, i);
      boolean property = prevDot;
      startToken(word, property);
      count(1);
      boolean keyword = !property && isKeyword(word);
      if (!property && ENCLOSING.contains(word)) {
        raiseFloor();
      }
      setPrev(!keyword || OPERAND_WORDS.contains(word),
          !property && REGEX_AFTER.contains(word), !property && CONTEXTUAL.contains(word), property ? "" : word);
      return;
    }
    if (c >= '0' && c <= '9' || (c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
      startToken("0", false);
      while (i < n && (isIdentPart(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      count(1);
      setPrev(true, false, false, "");
      return;
    }
    switch (c) {
      case '\'', '"' -> {
        startToken("0", false);
        string(c);
        count(1);
        setPrev(true, false, false, "");
      }
      case '`' -> {
        startToken("`", false);
        count(1);
        i++;
        openRaw('`');
        templateText();
      }
      case '(', '[', '{' -> {
        startToken(String.valueOf(c), false);
        count(1);
        // A group after if/while/for/with is a statement head; after another keyword ("for await",
        // "catch") what follows it is unknown; after anything else it is an operand.
        byte mark = c != '(' ? 0 : HEADS.contains(prevWord) ? HEAD : isKeyword(prevWord) ? AFTER_KEYWORD : 0;
        i++;
        openRaw(c);
        group[depth] = mark;
        setPrev(false, true, false, "");
      }
      case ')', ']', '}' -> {
        i++;
        close(c);
      }
      case '/' -> {
        if (ambiguous) {
          regex(true);
        } else if (regexOk) {
          regex(false);
        } else {
          startToken("/", false);
          i++;
          count(1);
          setPrev(false, true, false, "");
        }
      }
      case ';' -> {
        i++;
        count(1);
        setPrev(false, true, false, "");
        boundary = true;
        semicolon = true;
      }
      case ',' -> {
        i++;
        count[depth] = floor[depth];
        count(1);
        setPrev(false, true, false, "");
        prevWord = ",";
      }
      case ':' -> {
        // A key after a comma ("{a: 1, b: 2}") encloses nothing; any other colon may be a label's.
        boolean property = beforePrevComma && prevOperand;
        startToken(":", false);
        i++;
        count(1);
        if (!property) {
          raiseFloor();
        }
        setPrev(false, true, false, "");
      }
      case '\\' -> {
        startToken("x", false);
        i += i + 1 < n && s.charAt(i + 1) == 'u' ? 2 : 1; // an escape inside an identifier
        count(1);
        setPrev(true, false, false, "");
      }
      default -> operator(c);
    }
  }

  private void operator(char c) throws RefusedException {
    startToken(String.valueOf(c), false);
    boolean arrow = c == '=' && i + 1 < n && s.charAt(i + 1) == '>';
    if (arrow) {
      i += 2;
      count(1);
      setPrev(false, true, false, "");
      return;
    }
    boolean dot = c == '.' || (c == '?' && i + 1 < n && s.charAt(i + 1) == '.' && !(i + 2 < n && Character.isDigit(s.charAt(i + 2))));
    if (c == '<') {
      pushAngle();
    } else if (c == '>' && !(i + 1 < n && s.charAt(i + 1) == '=')) {
      popAngle();
    }
    boolean postfix = (c == '+' || c == '-') && i + 1 < n && s.charAt(i + 1) == c && prevOperand;
    i += dot && c == '?' ? 2 : 1;
    if (postfix) {
      i++;
    }
    count(1);
    setPrev(postfix, !postfix, false, "");
    prevDot = dot;
  }

  private void string(char q) {
    i++;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (i + 1 < n && isLineEnd(s.charAt(i + 1))) {
          line++;
        }
        i += 2;
      } else if (c == q) {
        i++;
        return;
      } else if (c == '\n' || c == '\r') {
        return; // unterminated: the parser stops here too
      } else {
        i++;
      }
    }
  }

  /** Template text up to '${' (opens an expression level) or the closing backtick. */
  private void templateText() throws RefusedException {
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '`') {
        i++;
        closeTemplate();
        return;
      } else if (c == '$' && i + 1 < n && s.charAt(i + 1) == '{') {
        i += 2;
        count[depth] = 1; // substitutions of one template are siblings
        count(1);
        openRaw('$');
        setPrev(false, true, false, "");
        return;
      } else {
        if (isLineEnd(c)) {
          line++;
        }
        i++;
      }
    }
  }

  private void regex(boolean ambiguous) throws RefusedException {
    int start = i;
    int k = i + 1;
    boolean inClass = false;
    boolean structural = false;
    while (k < n && !isLineEnd(s.charAt(k))) {
      char c = s.charAt(k);
      if (c == '\\') {
        k += 2;
        structural = true;
        continue;
      }
      if (c == '[') {
        inClass = true;
      } else if (c == ']') {
        inClass = false;
      } else if (c == '/' && !inClass) {
        break;
      }
      if ("()[]{}`'\"".indexOf(c) >= 0) {
        structural = true;
      }
      k++;
    }
    boolean terminated = k < n && s.charAt(k) == '/';
    if (ambiguous && terminated && structural) {
      throw new RefusedException("a '/' could start a regular expression or be a division,"
          + " and the two readings nest differently; write the regular expression in parentheses or with new RegExp()"
          + " (refused before TypeScript parsing)", line);
    }
    if (!terminated) {
      // No regular expression ends on this line: a division.
      startToken("/", false);
      i = start + 1;
      count(1);
      setPrev(false, true, false, "");
      return;
    }
    startToken("0", false);
    i = k + 1;
    while (i < n && isIdentPart(s.charAt(i))) {
      i++;
    }
    count(1);
    setPrev(true, false, ambiguous, "");
  }

  /** Applies the statement-boundary fall-back before a token that starts a statement. */
  private void startToken(String word, boolean property) {
    if (boundary) {
      boolean fresh;
      if (semicolon) {
        fresh = !"else".equals(word) && !"while".equals(word);
      } else {
        boolean plain = word.equals("0") || (isIdentStart(word.charAt(0)) && !property
            && (!WORDS.contains(word) || STATEMENT_STARTS.contains(word)));
        boolean afterBlock = braceClosed && (word.equals("function") || word.equals("class"));
        fresh = (plain || afterBlock) && !headGroupClosed && !"else".equals(word) && !"while".equals(word)
            && !REGEX_AFTER_NOT_STATEMENT.contains(word);
      }
      if (fresh) {
        count[depth] = 0;
        floor[depth] = 0;
        angleTop[depth] = 0;
      }
    }
    boundary = false;
    semicolon = false;
  }

  private static final byte HEAD = 1;
  private static final byte AFTER_KEYWORD = 2;

  private static boolean isKeyword(String word) {
    return !word.isEmpty() && (WORDS.contains(word) || STATEMENT_STARTS.contains(word) || REGEX_AFTER.contains(word)
        || HEADS.contains(word));
  }

  private static final Set<String> REGEX_AFTER_NOT_STATEMENT = Set.of("in", "instanceof", "of", "extends");

  private void setPrev(boolean operand, boolean regexOk, boolean ambiguous, String word) {
    prevOperand = operand;
    prevRegexOk = regexOk;
    prevAmbiguous = ambiguous;
    beforePrevComma = ",".equals(prevWord);
    prevWord = word;
    prevDot = false;
    headGroupClosed = false;
    braceClosed = false;
  }

  private void count(int k) throws RefusedException {
    count[depth] += k;
    if (outer + count[depth] > max) {
      throw new NativeInput.TooDeepException("code nests deeper than the limit of " + max + " for TypeScript (brackets,"
          + " operator chains and nested statements count) and was refused before parsing;"
          + " flatten it or write it as JavaScript", line);
    }
  }

  private void raiseFloor() {
    floor[depth] = count[depth];
  }

  private void pushAngle() {
    int[] a = angles[depth];
    if (angleTop[depth] == a.length) {
      a = angles[depth] = java.util.Arrays.copyOf(a, a.length * 2);
    }
    a[angleTop[depth]++] = floor[depth];
    floor[depth] = count[depth] + 1;
  }

  private void popAngle() {
    if (angleTop[depth] > 0) {
      floor[depth] = angles[depth][--angleTop[depth]];
    }
  }

  private void openRaw(char c) {
    outer += count[depth];
    depth++;
    if (depth == kind.length) {
      int m = depth * 2;
      kind = java.util.Arrays.copyOf(kind, m);
      count = java.util.Arrays.copyOf(count, m);
      floor = java.util.Arrays.copyOf(floor, m);
      angles = java.util.Arrays.copyOf(angles, m);
      angleTop = java.util.Arrays.copyOf(angleTop, m);
      group = java.util.Arrays.copyOf(group, m);
    }
    kind[depth] = c;
    count[depth] = 0;
    floor[depth] = 0;
    angleTop[depth] = 0;
    group[depth] = 0;
    if (angles[depth] == null) {
      angles[depth] = new int[8];
    }
  }

  private void pop() {
    depth--;
    outer -= count[depth];
  }

  private void close(char c) throws RefusedException {
    boundary = false;
    semicolon = false;
    char want = c == ')' ? '(' : c == ']' ? '[' : '{';
    if (c == '}' && kind[depth] == '$') {
      pop();
      // back in the template's text
      templateText();
      return;
    }
    if (depth == 0 || kind[depth] != want) {
      // An unbalanced closer: the parser fails on it; keeping the levels over-counts, never under-counts.
      setPrev(true, false, false, "");
      return;
    }
    boolean head = group[depth] == HEAD;
    boolean unknown = group[depth] == AFTER_KEYWORD;
    pop();
    setPrev(true, head, c == '}' || unknown, "");
    headGroupClosed = head;
    braceClosed = c == '}';
    if (head) {
      prevOperand = false;
    }
  }

  private void closeTemplate() {
    if (kind[depth] == '`') {
      pop();
    }
    setPrev(true, false, false, "");
  }

  private static boolean isLineEnd(char c) {
    return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029';
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c == '#'
        || (c > 127 && !isLineEnd(c) && !Character.isWhitespace(c) && Character.getType(c) != Character.SPACE_SEPARATOR
            && c != '\u00a0' && c != '\ufeff');
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) && c != '#' || (c >= '0' && c <= '9') || c == '\\';
  }
}
