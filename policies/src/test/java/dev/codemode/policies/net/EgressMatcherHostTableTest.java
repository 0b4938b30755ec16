package dev.codemode.policies.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.EgressRuleSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Adversarial host strings through URL parsing, canonicalization and the matcher. */
class EgressMatcherHostTableTest {
  private static final EgressMatcher MATCHER = EgressMatcher.compile(
      List.of(
          new EgressRuleSpec("allowed.com", List.of(), List.of(), List.of("GET"), List.of(), false, null),
          new EgressRuleSpec("*.example.com", List.of(), List.of(), List.of("GET"), List.of(), false, null)),
      List.of(new EgressRuleSpec("*.bad.example.com", List.of(), List.of(), List.of(), List.of(), false, null)));

  static Stream<Arguments> hosts() {
    String longLabel = "a".repeat(64);
    String longName = ("a".repeat(60) + ".").repeat(4) + "allowed.com"; // 255 characters
    return Stream.of(
        // host as written after "https://", allowed?, a fragment the reason must contain
        Arguments.of("allowed.com", true, "allow rule #1 (host allowed.com)"),
        Arguments.of("ALLOWED.COM", true, "allow rule #1"),
        Arguments.of("Allowed.Com.", true, "allow rule #1"),
        Arguments.of("allowed.com.", true, "allow rule #1"),
        Arguments.of("a.example.com", true, "allow rule #2 (host *.example.com)"),
        Arguments.of("a.b.example.com", true, "allow rule #2"),
        Arguments.of("allowed.com#@evil.com", true, "allow rule #1"), // the fragment is not the host
        Arguments.of("allowed.com?@evil.com", true, "allow rule #1"), // nor is the query
        Arguments.of("\uff41llowed.com", true, "allow rule #1"), // fullwidth a: IDNA maps it to the same name
        Arguments.of("allowed\u3002com", true, "allow rule #1"), // ideographic full stop is a label separator
        Arguments.of("allowed.com..", false, "empty label"),
        Arguments.of("allowed.com.evil", false, "no allow rule matches host 'allowed.com.evil'"),
        Arguments.of("evilallowed.com", false, "no allow rule matches host 'evilallowed.com'"),
        Arguments.of("allowed.com.evil.com", false, "no allow rule matches host 'allowed.com.evil.com'"),
        Arguments.of("example.com", false, "no allow rule matches host 'example.com'"),
        Arguments.of("evilexample.com", false, "no allow rule matches host 'evilexample.com'"),
        Arguments.of("x.bad.example.com", false, "deny rule #1 (host *.bad.example.com)"),
        Arguments.of("X.BAD.example.com.", false, "deny rule #1"),
        Arguments.of("allowed.com@evil.com", false, "userinfo"),
        Arguments.of("evil.com@allowed.com", false, "userinfo"),
        Arguments.of("user:pass@allowed.com", false, "userinfo"),
        Arguments.of("evil.com#.allowed.com", false, "no allow rule matches host 'evil.com'"),
        Arguments.of("allowed.com%00.evil.com", false, "contains '%'"),
        Arguments.of("%61llowed.com", false, "contains '%'"),
        Arguments.of("allowed.com%2e", false, "contains '%'"),
        Arguments.of("allowed.com\u0000", false, "refused URL"),
        Arguments.of("allowed.com\r\nX-Injected: 1", false, "refused URL"),
        Arguments.of("allowed.com\t", false, "refused URL"),
        Arguments.of(" allowed.com", false, "refused URL"),
        Arguments.of("allowed.com\\@evil.com", false, "refused URL"),
        Arguments.of("\u0430llowed.com", false, "no allow rule matches host 'xn--llowed-2nf.com'"), // Cyrillic a
        Arguments.of("allowed.c\u043em", false, "no allow rule matches host 'allowed.xn--cm-fmc'"), // Cyrillic o
        Arguments.of(longLabel + ".allowed.com", false, "label longer than 63"),
        Arguments.of(longName, false, "longer than 253"),
        Arguments.of("", false, "refused URL"),
        Arguments.of("*", false, "contains '*'"),
        Arguments.of("*.example.com", false, "contains '*'"),
        Arguments.of("-allowed.com", false, "starting or ending with '-'"),
        Arguments.of("allowed.com:8443", false, "port 8443 not in [443]"),
        Arguments.of("allowed.com:0", false, "out of range"),
        Arguments.of("allowed.com:99999", false, "out of range"),
        Arguments.of("allowed.com:+443", false, "invalid port"),
        Arguments.of("allowed.com:", false, "invalid port"),
        // every spelling of 127.0.0.1
        Arguments.of("127.0.0.1", false, "no allow rule matches host '127.0.0.1'"),
        Arguments.of("2130706433", false, "host '127.0.0.1'"),
        Arguments.of("0x7f000001", false, "host '127.0.0.1'"),
        Arguments.of("0X7F000001", false, "host '127.0.0.1'"),
        Arguments.of("0177.0.0.1", false, "host '127.0.0.1'"),
        Arguments.of("017700000001", false, "host '127.0.0.1'"),
        Arguments.of("127.1", false, "host '127.0.0.1'"),
        Arguments.of("127.0.1", false, "host '127.0.0.1'"),
        Arguments.of("0x7f.1", false, "host '127.0.0.1'"),
        Arguments.of("0x7f.0.0.0x1", false, "host '127.0.0.1'"),
        Arguments.of("0177.0x0.01", false, "host '127.0.0.1'"),
        Arguments.of("127.0.0.1.", false, "host '127.0.0.1'"),
        Arguments.of("\uff11\uff12\uff17.0.0.1", false, "host '127.0.0.1'"), // fullwidth digits
        Arguments.of("[::ffff:127.0.0.1]", false, "host '127.0.0.1'"),
        Arguments.of("[::ffff:7f00:1]", false, "host '127.0.0.1'"),
        Arguments.of("[0:0:0:0:0:ffff:7f00:1]", false, "host '127.0.0.1'"),
        Arguments.of("[::1]", false, "host '0:0:0:0:0:0:0:1'"),
        Arguments.of("[::127.0.0.1]", false, "host '0:0:0:0:0:0:7f00:1'"),
        // every spelling of 169.254.169.254
        Arguments.of("169.254.169.254", false, "host '169.254.169.254'"),
        Arguments.of("2852039166", false, "host '169.254.169.254'"),
        Arguments.of("0xa9fea9fe", false, "host '169.254.169.254'"),
        Arguments.of("0251.0376.0251.0376", false, "host '169.254.169.254'"),
        Arguments.of("169.254.43518", false, "host '169.254.169.254'"),
        Arguments.of("169.16689662", false, "host '169.254.169.254'"),
        Arguments.of("[::ffff:169.254.169.254]", false, "host '169.254.169.254'"),
        Arguments.of("[::ffff:a9fe:a9fe]", false, "host '169.254.169.254'"),
        // malformed numbers and literals
        Arguments.of("1.2.3.4.5", false, "more than 4 parts"),
        Arguments.of("256.0.0.1", false, "not a valid IPv4 address"),
        Arguments.of("127.0.0.256", false, "not a valid IPv4 address"),
        Arguments.of("4294967296", false, "not a valid IPv4 address"),
        Arguments.of("08.0.0.1", false, "not a valid IPv4 address"),
        Arguments.of("1.-1", false, "starting or ending with '-'"),
        Arguments.of("allowed.123", false, "not a valid IPv4 address"),
        Arguments.of("[fe80::1%25eth0]", false, "contains '%'"),
        Arguments.of("[fe80::1%eth0]", false, "contains '%'"),
        Arguments.of("[::ffff:127.0.0.1", false, "refused URL"),
        Arguments.of("[127.0.0.1]", false, "refused URL"),
        Arguments.of("[allowed.com]", false, "refused URL"));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("hosts")
  void host(String host, boolean allowed, String reasonFragment) {
    Verdict verdict = MATCHER.check("https://" + host + "/", "GET");
    assertEquals(allowed, verdict.allowed(), verdict.reason());
    assertTrue(verdict.reason().contains(reasonFragment),
        "reason '" + verdict.reason() + "' should contain '" + reasonFragment + "'");
    assertTrue(verdict.reason().indexOf('\r') < 0 && verdict.reason().indexOf('\n') < 0 && verdict.reason().indexOf(0) < 0);
  }
}
