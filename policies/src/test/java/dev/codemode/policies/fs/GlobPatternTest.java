package dev.codemode.policies.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GlobPatternTest {
  private static boolean m(String glob, String path) {
    return GlobPattern.compile(glob).matches(VirtualPath.parse(path));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a\\b", "**a", "a**", "a//b", "a/../b", "./a", "/", "[abc", "[]", "a]", "[!]",
      "[z-a]", "a/\u0000"})
  void badGlobsAreRejected(String glob) {
    assertThrows(IllegalArgumentException.class, () -> GlobPattern.compile(glob));
  }

  @Test
  void starStaysWithinOneSegment() {
    assertTrue(m("/deps/*.json", "/deps/config.json"));
    assertFalse(m("/deps/*.json", "/deps/sub/config.json"));
    assertTrue(m("/deps/*", "/deps/.hidden"));
    assertFalse(m("/deps/*", "/deps"));
  }

  @Test
  void doubleStarSpansZeroOrMoreSegments() {
    assertTrue(m("/a/**/b", "/a/b"));
    assertTrue(m("/a/**/b", "/a/x/y/z/b"));
    assertFalse(m("/a/**/b", "/a/x/y/z/bb"));
    assertTrue(m("**", "/"));
    assertTrue(m("/**", "/anything/at/all"));
  }

  @Test
  void unanchoredPatternsMatchAtAnyDepthAnchoredOnlyAtRoot() {
    assertTrue(m(".env", "/deps/a/.env"));
    assertTrue(m("**/.env", "/.env"));
    assertFalse(m("/home/**", "/deps/home/x"));
    assertTrue(m("/home/**", "/home"));
  }

  @Test
  void questionMarkAndClassesMatchOneCodePoint() {
    assertTrue(m("/x/?", "/x/\uD83D\uDE00"));
    assertFalse(m("/x/?", "/x/ab"));
    assertTrue(m("/x/[a-c]1", "/x/b1"));
    assertFalse(m("/x/[a-c]1", "/x/d1"));
    assertTrue(m("/x/[!a-c]1", "/x/d1"));
    assertFalse(m("/x/[!a-c]1", "/x/a1"));
    assertTrue(m("/x/[-a]", "/x/-"));
  }

  @Test
  void matchingIsExactAndCaseInsensitive() {
    // On macOS and Windows ".ENV" and "ID_RSA" open ".env" and "id_rsa": a deny rule must hold there too.
    assertTrue(m("**/.env", "/deps/.ENV"));
    assertTrue(m("**/.env", "/deps/.Env"));
    assertTrue(m("**/id_*", "/deps/ID_RSA"));
    assertTrue(m("**/.SSH/**", "/deps/.ssh/config"));
    assertTrue(m("/HOME/**", "/home/a"));
    assertTrue(m("**/[a-c]ey", "/x/Key".replace('K', 'B')));
    assertTrue(m("**/key", "/x/\u212Aey"), "the Kelvin sign folds to k");
    assertTrue(m("**/.ssh/**", "/deps/.\u017Fsh/config"), "the long s folds to s");
    assertFalse(m("/x/[!a-c]1", "/x/A1"), "a negated class rejects every case of its members");
    assertFalse(m("**/.env", "/deps/.env.local"));
    assertTrue(m("**/.env*", "/deps/.ENV.local"));
  }

  @Test
  void starBacktracks() {
    assertTrue(m("/a*b*c", "/aXbYbZc"));
    assertFalse(m("/a*b*c", "/aXbYbZ"));
    assertTrue(m("/*a*", "/banana"));
  }

  @Test
  void hostileInputsStayLinear() {
    List<String> deep = Collections.nCopies(2000, "a");
    GlobPattern p = GlobPattern.compile("**/a/**/a/**/a/**/b");
    String longName = "a".repeat(255);
    GlobPattern stars = GlobPattern.compile("*a*a*a*a*a*a*a*a*b");
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
      assertFalse(p.matches(deep));
      assertFalse(stars.matches(List.of(longName)));
    });
  }

  @Test
  void denyGlobsReportTheFirstMatchingPatternInOrder() {
    DenyGlobs globs = DenyGlobs.compile(List.of("**/id_*", "**/.ssh/**"));
    assertEquals("**/id_*", globs.firstMatch(VirtualPath.parse("/d/.ssh/id_rsa")).orElseThrow().text());
    assertTrue(globs.firstMatch(VirtualPath.parse("/d/readme")).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> DenyGlobs.compile(List.of("ok", "[bad")));
  }
}
