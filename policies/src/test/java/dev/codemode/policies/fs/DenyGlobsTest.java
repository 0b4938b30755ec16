package dev.codemode.policies.fs;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DenyGlobsTest {

  @Test
  void aListIsCompiledOnceAndItsCompiledFormKept() {
    List<String> globs = List.of("**/.env", "**/*.pem");
    DenyGlobs first = DenyGlobs.of(globs);
    assertSame(first, DenyGlobs.of(new ArrayList<>(globs)), "an equal list gets the kept compiled form");
    assertTrue(first.firstMatch(List.of("workspace", ".env")).isPresent());
    assertTrue(first.firstMatch(List.of("workspace", "notes.txt")).isEmpty());
  }

  @Test
  void theKeptFormDoesNotFollowTheCallersListWhenItChanges() {
    List<String> globs = new ArrayList<>(List.of("**/secret-one"));
    DenyGlobs kept = DenyGlobs.of(globs);
    globs.add("**/secret-two");
    assertTrue(kept.firstMatch(List.of("secret-two")).isEmpty(), "the kept form is a copy of the list it was given");
    assertNotSame(kept, DenyGlobs.of(globs));
    assertTrue(DenyGlobs.of(globs).firstMatch(List.of("secret-two")).isPresent());
  }

  @Test
  void aBadPatternIsRefusedEveryTimeAndNeverKept() {
    List<String> bad = List.of("**/ok", "a\\b");
    assertThrows(IllegalArgumentException.class, () -> DenyGlobs.of(bad));
    assertThrows(IllegalArgumentException.class, () -> DenyGlobs.of(bad));
  }
}
