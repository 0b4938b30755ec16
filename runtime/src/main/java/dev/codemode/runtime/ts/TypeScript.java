package dev.codemode.runtime.ts;

import com.caoccao.javet.swc4j.Swc4j;
import com.caoccao.javet.swc4j.enums.Swc4jMediaType;
import com.caoccao.javet.swc4j.enums.Swc4jParseMode;
import com.caoccao.javet.swc4j.enums.Swc4jSourceMapOption;
import com.caoccao.javet.swc4j.options.Swc4jTranspileOptions;
import com.caoccao.javet.swc4j.outputs.Swc4jTranspileOutput;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strips TypeScript types with SWC (swc4j: Rust over JNI, about 0.2 ms for 100 lines warm) and keeps a
 * source map, so errors still point at the agent's own lines. Only code that fails to parse as
 * JavaScript comes here: plain JavaScript pays nothing.
 */
public final class TypeScript {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LOCATION = Pattern.compile("agent\\.ts:(\\d+):(\\d+)");
  static final URL SPECIFIER = url("file:///agent.ts");
  private static volatile Swc4j swc;

  private TypeScript() {}

  /** Transpiled code and the map from its lines to the input's. */
  public record Output(String code, SourceMapLines map) {}

  /** A TypeScript syntax error at the input's {@code line} (1-based). */
  public static final class TranspileException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;

    TranspileException(String message, int line, int column) {
      super(message, null, false, false);
      this.line = line;
      this.column = column;
    }

    public int line() {
      return line;
    }

    public int column() {
      return column;
    }
  }

  /**
   * Transpiles checked input as a script or an ES module, on the parser thread (see {@link NativeStack}):
   * only {@link NativeInput#check} makes the argument, so nothing unchecked reaches native code.
   */
  public static Output transpile(NativeInput input) throws TranspileException {
    Swc4jTranspileOutput out;
    try {
      out = NativeStack.call(() -> swc().transpile(input.text(), new Swc4jTranspileOptions()
          .setSpecifier(SPECIFIER)
          .setMediaType(Swc4jMediaType.TypeScript)
          .setParseMode(input.module() ? Swc4jParseMode.Module : Swc4jParseMode.Script)
          .setSourceMap(Swc4jSourceMapOption.Separate)
          .setInlineSources(false)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TranspileException("interrupted while the TypeScript parser ran", 0, 0);
    } catch (Exception e) {
      String raw = String.valueOf(e.getMessage());
      Matcher m = LOCATION.matcher(raw);
      int line = 0;
      int column = 0;
      if (m.find()) {
        line = Integer.parseInt(m.group(1));
        column = Integer.parseInt(m.group(2));
      }
      int cut = raw.indexOf(" at file:///");
      throw new TranspileException(cut > 0 ? raw.substring(0, cut) : firstLine(raw), line, column);
    }
    try {
      String mappings = JSON.readTree(out.getSourceMap()).path("mappings").asText("");
      return new Output(out.getCode(), new SourceMapLines(mappings));
    } catch (Exception e) {
      throw new TranspileException("TypeScript output had no usable source map", 0, 0);
    }
  }

  static Swc4j swc() {
    Swc4j s = swc;
    if (s == null) {
      synchronized (TypeScript.class) {
        if (swc == null) {
          swc = new Swc4j();
        }
        s = swc;
      }
    }
    return s;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static URL url(String s) {
    try {
      return new URL(s);
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }
}
