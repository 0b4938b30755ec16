package dev.codemode.server.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LogTextTest {
  @Test
  void controlAndBidiCharactersAreEscaped() {
    assertEquals("a\\u000a{\"event\":\"forged\"}", LogText.escape("a\n{\"event\":\"forged\"}"));
    assertEquals("x\\u000dy\\u001b[31mred\\u0007", LogText.escape("x\ry\u001b[31mred\u0007"));
    assertEquals("invoice\\u202egpj.exe", LogText.escape("invoice\u202egpj.exe"));
    assertEquals("\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c\\u202a\\u202b\\u202c\\u202d",
        LogText.escape("\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u202a\u202b\u202c\u202d"));
    assertEquals("\\u2028\\u2029\\u0085\\u007f\\u0000", LogText.escape("\u2028\u2029\u0085\u007f\u0000"));
  }

  @Test
  void plainTextIsUnchanged() {
    String s = "héllo ☃ /workspace/out/report.txt https://example.com/a?b=c";
    assertEquals(s, LogText.escape(s));
    assertNull(LogText.escape(null));
  }
}
