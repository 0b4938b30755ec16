package dev.codemode.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PrintableTest {
  @Test
  void controlSeparatorAndBidiCharactersAreEscapedEverywhereTheTextIsQuoted() {
    assertEquals("a\\u000ab\\u0085c\\u202ed\\u2028", Printable.of("a\nb\u0085c\u202ed\u2028"));
    assertEquals("null", Printable.of(null));
  }

  @Test
  void plainTextIsReturnedAsIsAndLongTextIsCutAtItsCap() {
    String plain = "/workspace/report.txt";
    assertSame(plain, Printable.of(plain));
    assertEquals("x".repeat(Printable.MAX_CHARS) + "...", Printable.of("x".repeat(Printable.MAX_CHARS + 1)));
    assertEquals("ab\\u0000...", Printable.of("ab\u0000cd", 3));
  }
}
