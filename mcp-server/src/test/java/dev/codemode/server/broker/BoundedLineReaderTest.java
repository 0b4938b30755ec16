package dev.codemode.server.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

  private static List<BoundedLineReader.Line> all(String text, int max) throws IOException {
    BoundedLineReader r = new BoundedLineReader(new StringReader(text), max);
    List<BoundedLineReader.Line> out = new ArrayList<>();
    for (BoundedLineReader.Line l = r.next(); l != null; l = r.next()) {
      out.add(l);
    }
    return out;
  }

  @Test
  void linesEndAtNewlineOrCrLfAndALastLineWithoutNewlineIsKept() throws IOException {
    assertEquals(List.of(new BoundedLineReader.Line("a", false), new BoundedLineReader.Line("", false),
        new BoundedLineReader.Line("b", false), new BoundedLineReader.Line("tail", false)), all("a\n\nb\r\ntail", 10));
    assertNull(new BoundedLineReader(new StringReader(""), 10).next());
  }

  @Test
  void anOverLongLineIsCutAtTheLimitAndTheReaderGoesOnAfterIt() throws IOException {
    String huge = "x".repeat(50_000);
    assertEquals(List.of(new BoundedLineReader.Line("x".repeat(100), true), new BoundedLineReader.Line("next", false)),
        all(huge + "\nnext\n", 100));
  }

  @Test
  void aLineOfExactlyTheLimitIsWholeAcrossBufferBoundaries() throws IOException {
    String line = "y".repeat(20_000);
    assertEquals(List.of(new BoundedLineReader.Line(line, false)), all(line + "\n", 20_000));
  }
}
