package dev.codemode.server.broker;

import java.util.Comparator;
import java.util.List;

/** Replaces resolved secret values in text (downstream stderr, error messages) before it is logged or shown. */
public record Redactor(List<String> secrets) {
  private static final int MIN_SECRET_CHARS = 4;

  public Redactor {
    // Longest first, so a secret that contains another is replaced whole.
    secrets = secrets.stream().filter(s -> s != null && s.length() >= MIN_SECRET_CHARS).distinct()
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  /** {@code text} with every secret replaced by {@code ***}. */
  public String apply(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, "***");
    }
    return out;
  }
}
