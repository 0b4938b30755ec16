package dev.codemode.server.pii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One client session's PII tokens: each real value becomes a stable token ({@code [EMAIL_1]}) in what goes
 * to the model, and a token the guest passes to a tool turns back into the value. The map never leaves
 * the host; a token unused for the TTL is forgotten. Thread-safe.
 */
public final class PiiTokenizer {
  private static final Pattern TOKEN = Pattern.compile("\\[([A-Z][A-Z0-9_]{0,31})_(\\d{1,9})]");
  private static final int MAX_ENTRIES = 100_000;
  private final PiiDetector detector;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Entry> byToken = new HashMap<>();
  private final Map<String, String> byValue = new HashMap<>();
  private final Map<String, Integer> counters = new HashMap<>();

  private static final class Entry {
    final String value;
    long lastUsed;

    Entry(String value, long lastUsed) {
      this.value = value;
      this.lastUsed = lastUsed;
    }
  }

  public PiiTokenizer(PiiDetector detector, Duration ttl, Clock clock) {
    this.detector = detector;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** {@code text} with every PII value replaced by its token. */
  public synchronized String tokenize(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    List<PiiMatch> found = detector.find(text);
    if (found.isEmpty()) {
      return text;
    }
    expire();
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    for (PiiMatch m : found) {
      out.append(text, at, m.start()).append(tokenFor(m.label(), m.value()));
      at = m.end();
    }
    return out.append(text, at, text.length()).toString();
  }

  /** A copy of {@code node} with every string (and object key) tokenized. */
  public JsonNode tokenize(JsonNode node) {
    return map(node, true);
  }

  /** A copy of {@code args} with every token of this session swapped back for its real value; unknown tokens stay as written. */
  public JsonNode restore(JsonNode args) {
    return map(args, false);
  }

  /** {@code text} with this session's tokens swapped back. */
  public synchronized String restore(String text) {
    if (text == null || text.indexOf('[') < 0) {
      return text;
    }
    expire();
    Matcher m = TOKEN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Entry e = byToken.get(m.group());
      if (e != null) {
        e.lastUsed = clock.millis();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(e == null ? m.group() : e.value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Tokens held now (for tests and metrics). */
  public synchronized int size() {
    return byToken.size();
  }

  private JsonNode map(JsonNode node, boolean tokenize) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      return TextNode.valueOf(tokenize ? tokenize(node.asText()) : restore(node.asText()));
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(n -> out.add(map(n, tokenize)));
      return out;
    }
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = tokenize ? tokenize(e.getKey()) : restore(e.getKey());
        out.set(key, map(e.getValue(), tokenize));
      }
      return out;
    }
    return node.deepCopy();
  }

  private String tokenFor(String label, String value) {
    long now = clock.millis();
    String key = label + '\0' + value;
    String token = byValue.get(key);
    if (token != null) {
      byToken.get(token).lastUsed = now;
      return token;
    }
    if (byToken.size() >= MAX_ENTRIES) {
      // A flood of distinct values must not grow the host's memory without bound: redact without a token.
      return "[" + label + "]";
    }
    int n = counters.merge(label, 1, Integer::sum);
    token = "[" + label + "_" + n + "]";
    byToken.put(token, new Entry(value, now));
    byValue.put(key, token);
    return token;
  }

  private void expire() {
    long cutoff = clock.millis() - ttl.toMillis();
    byToken.entrySet().removeIf(e -> {
      if (e.getValue().lastUsed < cutoff) {
        byValue.values().remove(e.getKey());
        return true;
      }
      return false;
    });
  }
}
