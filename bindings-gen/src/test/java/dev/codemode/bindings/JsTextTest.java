package dev.codemode.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsTextTest {

  @Test
  void singleQuotedEscapesEverythingDangerous() {
    assertEquals("'it\\'s \"x\"'", JsText.singleQuoted("it's \"x\""));
    assertEquals("'a\\\\b'", JsText.singleQuoted("a\\b"));
    assertEquals("'a\\nb\\rc\\td'", JsText.singleQuoted("a\nb\rc\td"));
    assertEquals("'\\u2028\\u2029'", JsText.singleQuoted("\u2028\u2029"));
    assertEquals("'\\u003C/script\\u003E'", JsText.singleQuoted("</script>"));
    assertEquals("'\\u0000\\u001B\\u007F'", JsText.singleQuoted("\0\u001b\u007f"));
    assertEquals("'\\u00E9\\uD83D\\uDE80\\uD800'", JsText.singleQuoted("é\uD83D\uDE80\uD800"));
  }

  @Test
  void doubleQuotedIsValidJsonForTheSameText() {
    assertEquals("\"it's \\\"x\\\"\"", JsText.doubleQuoted("it's \"x\""));
  }

  @Test
  void propertyKeysAreBareOnlyWhenPlainAsciiIdentifiers() {
    assertEquals("abc_$1", JsText.propertyKey("abc_$1"));
    assertEquals("default", JsText.propertyKey("default"));
    assertEquals("\"1a\"", JsText.propertyKey("1a"));
    assertEquals("\"a-b\"", JsText.propertyKey("a-b"));
    assertEquals("\"\"", JsText.propertyKey(""));
    assertEquals("\"\\u00E9\"", JsText.propertyKey("é"));
  }

  @Test
  void commentTextCannotCloseTheComment() {
    assertEquals("a *\\/ b **\\/", JsText.commentText("a */ b **/"));
    assertEquals("l1\nl2\nl3\nl4\nl5", JsText.commentText("l1\r\nl2\rl3\u2028l4\u2029l5"));
    assertEquals("x\uFFFDy\uFFFD", JsText.commentText("x\u0000y\uD800"));
    assertEquals("é \uD83D\uDE80", JsText.commentText("é \uD83D\uDE80"));
  }

  @Test
  void jsDocNeutralizesTagsFromUntrustedText() {
    String doc = new JsDoc().text("Line one\n  @param x injected\nend */").tag("returns", "ok\nnext").render("  ");
    assertEquals("""
          /**
           * Line one
           * \\@param x injected
           * end *\\/
           * @returns ok next
           */
        """, doc);
  }
}
