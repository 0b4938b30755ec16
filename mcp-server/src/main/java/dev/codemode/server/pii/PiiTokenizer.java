package dev.codemode.server.pii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.codemode.server.state.SharedPii;
import dev.codemode.server.state.StateUnavailableException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One client session's PII tokens: each real value becomes a stable, unguessable token
 * ({@code [EMAIL_k3j9xq2m7pa4]}, 60 random bits) in what goes to the model, and a token that the model
 * wrote into a run's code turns back into the value when the run passes it to a tool. The map never
 * leaves the host; a token unused for the TTL is forgotten. Thread-safe.
 */
public final class PiiTokenizer {
  private static final int SUFFIX_CHARS = 12;
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  private static final Pattern TOKEN = Pattern.compile("\\[([A-Z][A-Z0-9_]{0,31})_([a-z2-7]{" + SUFFIX_CHARS + "})]");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_ENTRIES = 100_000;
  private final PiiDetector detector;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Entry> byToken = new HashMap<>();
  private final Map<String, String> byValue = new HashMap<>();
  private final SharedPii shared;

  private static final class Entry {
    final String value;
    long lastUsed;

    Entry(String value, long lastUsed) {
      this.value = value;
      this.lastUsed = lastUsed;
    }
  }

  public PiiTokenizer(PiiDetector detector, Duration ttl, Clock clock) {
    this(detector, ttl, clock, null);
  }

  /**
   * A tokenizer whose tokens are also kept in {@code shared} (null: this process only), so that a later run of the
   * same session on another replica restores them; while the shared store is down, tokens are issued and kept here
   * (the text is still tokenized: nothing goes out in the clear).
   */
  public PiiTokenizer(PiiDetector detector, Duration ttl, Clock clock, SharedPii shared) {
    this.detector = detector;
    this.ttl = ttl;
    this.clock = clock;
    this.shared = shared;
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
    return map(node, this::tokenize);
  }

  /**
   * The tokens of this session that occur literally in {@code code}: what the model wrote, as opposed to
   * strings a run builds while it runs. Only these are ever restored for that run.
   */
  public synchronized Set<String> writtenIn(String code) {
    if (code == null || code.indexOf('[') < 0) {
      return Set.of();
    }
    Set<String> found = new HashSet<>();
    for (Matcher m = TOKEN.matcher(code); m.find(); ) {
      if (byToken.containsKey(m.group()) || adopt(m.group())) {
        found.add(m.group());
      }
    }
    return Set.copyOf(found);
  }

  /**
   * A copy of {@code args} with the tokens in {@code written} (see {@link #writtenIn}) swapped back for their
   * real values; every other token, known to this session or not, stays as it is.
   */
  public JsonNode restore(JsonNode args, Set<String> written) {
    return written.isEmpty() ? args.deepCopy() : map(args, text -> restore(text, written));
  }

  /** {@code text} with the tokens in {@code written} swapped back. */
  public synchronized String restore(String text, Set<String> written) {
    if (text == null || text.indexOf('[') < 0 || written.isEmpty()) {
      return text;
    }
    expire();
    Matcher m = TOKEN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Entry e = written.contains(m.group()) ? byToken.get(m.group()) : null;
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

  private JsonNode map(JsonNode node, UnaryOperator<String> text) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      return TextNode.valueOf(text.apply(node.asText()));
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(n -> out.add(map(n, text)));
      return out;
    }
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(text.apply(e.getKey()), map(e.getValue(), text));
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
    do {
      token = "[" + label + "_" + suffix() + "]";
    } while (byToken.containsKey(token));
    if (shared != null) {
      try {
        token = shared.issue(token, key, value); // another replica's token for the same value wins
      } catch (StateUnavailableException e) {
        // Kept here only until the backend is back; logged and counted by the backend.
      }
    }
    byToken.put(token, new Entry(value, now));
    byValue.put(key, token);
    return token;
  }

  /** Takes {@code token} from the shared store when another replica issued it in this session; false when none did. */
  private boolean adopt(String token) {
    if (shared == null || byToken.size() >= MAX_ENTRIES) {
      return false;
    }
    try {
      Optional<String> value = shared.value(token);
      if (value.isEmpty()) {
        return false;
      }
      byToken.put(token, new Entry(value.get(), clock.millis()));
      return true;
    } catch (StateUnavailableException e) {
      return false;
    }
  }

  private static String suffix() {
    char[] c = new char[SUFFIX_CHARS];
    for (int i = 0; i < c.length; i++) {
      c[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
    }
    return new String(c);
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
