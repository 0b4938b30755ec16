package dev.codemode.policies.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualPathTest {
  @Test
  void startsWithComparesWholeSegments() {
    assertTrue(VirtualPath.parse("/deps/a").startsWith(VirtualPath.parse("/deps")));
    assertFalse(VirtualPath.parse("/depsx/a").startsWith(VirtualPath.parse("/deps")));
    assertTrue(VirtualPath.parse("/deps").startsWith(VirtualPath.ROOT));
  }

  @Test
  void childTakesExactlyOneSegment() {
    VirtualPath ws = VirtualPath.WORKSPACE;
    assertEquals("/workspace/a", ws.child("a").toString());
    assertThrows(IllegalArgumentException.class, () -> ws.child(".."));
    assertThrows(IllegalArgumentException.class, () -> ws.child("a/b"));
    assertThrows(IllegalArgumentException.class, () -> ws.child("."));
    assertThrows(IllegalArgumentException.class, () -> ws.child(""));
  }

  @Test
  void parentNameAndRelative() {
    VirtualPath p = VirtualPath.parse("/workspace/out/r.json");
    assertEquals("r.json", p.name());
    assertEquals("/workspace/out", p.parent().toString());
    assertEquals(List.of("out", "r.json"), p.relativeTo(VirtualPath.WORKSPACE));
    assertEquals(VirtualPath.ROOT, VirtualPath.ROOT.parent());
    assertThrows(IllegalArgumentException.class, () -> p.relativeTo(VirtualPath.parse("/deps")));
  }
}
