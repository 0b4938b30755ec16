package dev.codemode.policies.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** Maps each key path of a YAML document ({@code profiles.default.net.allow[0].host}) to its line and scalar value as written. */
final class LineIndex {
  private final Map<String, Integer> lines = new HashMap<>();
  private final Map<String, String> scalars = new HashMap<>();

  LineIndex(String yaml) throws IOException {
    try (JsonParser p = new YAMLFactory().createParser(yaml)) {
      Deque<Frame> stack = new ArrayDeque<>();
      String field = null;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        int line = p.currentTokenLocation().getLineNr();
        if (t == JsonToken.FIELD_NAME) {
          field = p.currentName();
          lines.putIfAbsent(join(stack.peek().path, field), line);
          continue;
        }
        if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          stack.pop();
          continue;
        }
        Frame top = stack.peek();
        String path;
        if (top == null) {
          path = "";
        } else if (top.array) {
          path = top.path + "[" + top.next++ + "]";
          lines.putIfAbsent(path, line);
        } else {
          path = join(top.path, field);
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          stack.push(new Frame(path, t == JsonToken.START_ARRAY));
        } else if (t.isScalarValue()) {
          scalars.putIfAbsent(path, p.getText());
        }
      }
    }
  }

  private static String join(String parent, String child) {
    return parent.isEmpty() ? child : parent + "." + child;
  }

  /** The line of the first of {@code paths} that the document has, or of its nearest present ancestor; 0 if none. */
  int lineOf(String... paths) {
    for (String path : paths) {
      for (String p = path; !p.isEmpty(); p = parentOf(p)) {
        Integer line = lines.get(p);
        if (line != null) {
          return line;
        }
      }
    }
    return 0;
  }

  /** The scalar at {@code path} as the document writes it, if there is one. */
  java.util.Optional<String> scalar(String path) {
    return java.util.Optional.ofNullable(scalars.get(path));
  }

  boolean has(String path) {
    return lines.containsKey(path);
  }

  private static String parentOf(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut <= 0 ? "" : path.substring(0, cut);
  }

  private static final class Frame {
    final String path;
    final boolean array;
    int next;

    Frame(String path, boolean array) {
      this.path = path;
      this.array = array;
    }
  }
}
