package dev.codemode.policies.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.CredentialSpec;
import dev.codemode.policies.EgressRuleSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EgressRuleTest {

  private static EgressRuleSpec host(String host) {
    return new EgressRuleSpec(host, List.of(), List.of(), List.of(), List.of(), false, null);
  }

  private static EgressRuleSpec rule(String host, List<String> schemes, List<Integer> ports, List<String> methods, List<String> paths) {
    return new EgressRuleSpec(host, schemes, ports, methods, paths, false, null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", "*.com", "**.example.com", "*example.com", "a.*.example.com", "example.*", "*.*.com",
      "*.127.0.0.1", "*.[::1]", "exa mple.com", "example.com:443", "user@example.com", "", "example..com", "%65x.com",
      "https://example.com"})
  void badHostPatternsAreRefusedWithTheRuleNamed(String pattern) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EgressRule.allow(host(pattern), 3));
    assertTrue(e.getMessage().startsWith("allow rule #3"), e.getMessage());
  }

  @Test
  void badSchemesPortsMethodsAndGlobsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> EgressRule.allow(rule("a.com", List.of("ftp"), List.of(), List.of(), List.of()), 1));
    assertThrows(IllegalArgumentException.class, () -> EgressRule.allow(rule("a.com", List.of(), List.of(0), List.of(), List.of()), 1));
    assertThrows(IllegalArgumentException.class, () -> EgressRule.allow(rule("a.com", List.of(), List.of(65536), List.of(), List.of()), 1));
    assertThrows(IllegalArgumentException.class, () -> EgressRule.allow(rule("a.com", List.of(), List.of(), List.of("CONNECT"), List.of()), 1));
    assertThrows(IllegalArgumentException.class, () -> EgressRule.allow(rule("a.com", List.of(), List.of(), List.of("TRACE"), List.of()), 1));
    assertThrows(IllegalArgumentException.class, () -> EgressRule.allow(rule("a.com", List.of(), List.of(), List.of("G ET"), List.of()), 1));
    for (String glob : List.of("repos/**", "/a/../b", "/a/./b", "/a//b", "/a**", "/**x/y", "/a%2fb", "/a?b", "/a\\b", "/a;b", "")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> EgressRule.allow(rule("a.com", List.of(), List.of(), List.of(), List.of(glob)), 2), glob);
      assertTrue(e.getMessage().contains("allow rule #2"), e.getMessage());
    }
  }

  @Test
  void credentialsAreRefusedOnDenyRulesAndOverPlainHttpToTheInternet() {
    CredentialSpec cred = new CredentialSpec("Authorization", "Bearer x");
    assertThrows(IllegalArgumentException.class,
        () -> EgressRule.deny(new EgressRuleSpec("a.com", List.of(), List.of(), List.of(), List.of(), false, cred), 1));
    assertThrows(IllegalArgumentException.class,
        () -> EgressRule.allow(new EgressRuleSpec("a.com", List.of("http"), List.of(), List.of(), List.of(), false, cred), 1));
    assertThrows(IllegalArgumentException.class,
        () -> EgressRule.allow(new EgressRuleSpec("a.com", List.of(), List.of(), List.of(), List.of(), false,
            new CredentialSpec("Bad Header", "x")), 1));
    EgressRule local = EgressRule.allow(new EgressRuleSpec("localhost", List.of("http"), List.of(), List.of(), List.of(), true, cred), 1);
    assertEquals("Authorization", local.credential().header());
  }

  @Test
  void wildcardIsLabelWise() {
    EgressRule rule = EgressRule.allow(host("*.example.com"), 1);
    assertTrue(rule.matchesHost(HostCanonicalizer.canonicalize("a.example.com")));
    assertTrue(rule.matchesHost(HostCanonicalizer.canonicalize("a.b.example.com")));
    assertFalse(rule.matchesHost(HostCanonicalizer.canonicalize("example.com")));
    assertFalse(rule.matchesHost(HostCanonicalizer.canonicalize("evilexample.com")));
    assertFalse(rule.matchesHost(HostCanonicalizer.canonicalize("a.example.com.evil.com")));
    assertFalse(rule.matchesHost(HostCanonicalizer.canonicalize("a.example.co")));
  }

  @Test
  void ipLiteralRuleMatchesEverySpellingButWildcardsNeverMatchIps() {
    EgressRule ip = EgressRule.allow(rule("127.0.0.1", List.of("http"), List.of(8080), List.of(), List.of()), 1);
    assertTrue(ip.matchesHost(HostCanonicalizer.canonicalize("2130706433")));
    assertTrue(ip.matchesHost(HostCanonicalizer.canonicalize("[::ffff:7f00:1]")));
    assertFalse(ip.matchesHost(HostCanonicalizer.canonicalize("127.0.0.2")));
    EgressRule wild = EgressRule.allow(host("*.0.0.1.example"), 1);
    assertFalse(wild.matchesHost(HostCanonicalizer.canonicalize("127.0.0.1")));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "GET|https://api.x.com/repos/a/b|true|allow rule #1",
      "HEAD|https://api.x.com/repos/a|true|allow rule #1",
      "get|https://api.x.com/repos/a|true|allow rule #1",
      "POST|https://api.x.com/repos/a|false|method POST not in [GET, HEAD]",
      "DELETE|https://api.x.com/repos/a|false|method DELETE not in [GET, HEAD]",
      "GET|http://api.x.com/repos/a|false|scheme http not in [https]",
      "GET|https://api.x.com:8443/repos/a|false|port 8443 not in [443]",
      "GET|https://api.x.com:443/repos/a|true|allow rule #1",
      "GET|https://api.x.com/users/a|false|path /users/a matches none of [/repos/**, /meta]",
      "GET|https://api.x.com/repos|true|allow rule #1",
      "GET|https://api.x.com/meta|true|allow rule #1",
      "GET|https://api.x.com/meta/|false|matches none of",
      "GET|https://api.x.com/Meta|false|matches none of",
      "GET|https://api.x.com/repos/../users|false|'..' segment",
      "GET|https://api.x.com/repos/%2e%2e/users|false|'..' segment",
      "GET|https://api.x.com/repos/%2E%2E/users|false|'..' segment",
      "GET|https://api.x.com/repos/./a|false|'.' segment",
      "GET|https://api.x.com/repos%2f..%2fusers|false|encoded slash",
      "GET|https://api.x.com/repos%2F..%2Fusers|false|encoded slash",
      "GET|https://api.x.com/repos%5c..%5cusers|false|encoded slash",
      "GET|https://api.x.com/repos//a|false|empty segment",
      "GET|https://api.x.com/repos;x=1/a|false|';'",
      "GET|https://api.x.com/repos%3bx/a|false|';'",
      "GET|https://api.x.com/repos/%00|false|control character",
      "GET|https://api.x.com/repos/%zz|false|Malformed escape",
      "GET|https://api.x.com/repos/%c3|false|not UTF-8",
      "GET|https://api.x.com/repos/%41?q=%2f..#frag|true|allow rule #1",
      "CONNECT|https://api.x.com/repos/a|false|method 'CONNECT' is not allowed (one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS)",
      "GET|ftp://api.x.com/repos/a|false|scheme 'ftp' is not allowed",
      "GET|file:///etc/passwd|false|refused URL",
      "GET|/repos/a|false|must be absolute",
      "GET|mailto:a@api.x.com|false|must be absolute",
      "PUT|https://api.x.com/repos/a|false|deny rule #1 (host api.x.com)",
  })
  void partsOfARule(String method, String url, boolean allowed, String reason) {
    EgressMatcher matcher = EgressMatcher.compile(
        List.of(rule("api.x.com", List.of(), List.of(), List.of("get", "HEAD"), List.of("/repos/**", "/meta"))),
        List.of(rule("api.x.com", List.of(), List.of(), List.of("PUT"), List.of())));
    Verdict verdict = matcher.check(url, method);
    assertEquals(allowed, verdict.allowed(), verdict.reason());
    assertTrue(verdict.reason().contains(reason), verdict.reason());
  }

  @Test
  void requestPathDecodesOnceAndRefusesRawNonAscii() {
    RequestPath path = RequestPath.parse("/a%20b/caf%C3%A9/");
    assertEquals(List.of("a b", "caf\u00e9", ""), path.segments());
    assertEquals("/a b/caf\u00e9/", path.decoded());
    assertEquals("/", RequestPath.parse("").decoded());
    assertThrows(IllegalArgumentException.class, () -> RequestPath.parse("/caf\u00e9"));
    assertEquals(List.of("100%"), RequestPath.parse("/100%25").segments());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> RequestPath.parse("/v1/%2566iles"));
    assertEquals("path contains double percent-encoding (%25XX)", twice.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RequestPath.parse("/a%252fb"));
  }

  @Test
  void denyWinsOverAllowAndCarriesTheRule() {
    EgressMatcher matcher = EgressMatcher.compile(
        List.of(host("*.evil.com"), host("good.com")),
        List.of(host("x.good.com"), host("*.evil.com")));
    Verdict verdict = matcher.check("https://a.evil.com/", "GET");
    assertFalse(verdict.allowed());
    assertEquals("deny rule #2 (host *.evil.com)", verdict.reason());
    assertEquals("deny rule #2", verdict.rule().label());
    Verdict ok = matcher.check("https://good.com/", "GET");
    assertTrue(ok.allowed());
    assertEquals("allow rule #2", ok.rule().label());
  }

  @Test
  void defaultsDifferForAllowAndDenyRules() {
    EgressMatcher matcher = EgressMatcher.compile(List.of(host("a.com")), List.of(host("b.com")));
    assertTrue(matcher.check("https://a.com/x", "GET").allowed());
    assertFalse(matcher.check("https://a.com/x", "POST").allowed());
    assertFalse(matcher.check("http://a.com/x", "GET").allowed());
    assertEquals("deny rule #1 (host b.com)", matcher.check("http://b.com:81/x", "PATCH").reason());
  }

  @Test
  void allReasonsOfHostMatchingRulesAreListed() {
    EgressMatcher matcher = EgressMatcher.compile(
        List.of(rule("a.com", List.of(), List.of(), List.of("GET"), List.of("/x")),
            rule("a.com", List.of(), List.of(), List.of("POST"), List.of("/y"))),
        List.of());
    Verdict v = matcher.check("https://a.com/x", "POST");
    assertEquals("allow rule #1 (host a.com): method POST not in [GET]; allow rule #2 (host a.com): path /x matches none of [/y]",
        v.reason());
    assertTrue(matcher.check("https://a.com/y", "POST").allowed());
  }
}
