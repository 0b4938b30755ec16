package dev.codemode.policies.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostCanonicalizerTest {

  @ParameterizedTest
  @CsvSource({
      "Example.COM,example.com",
      "example.com.,example.com",
      "a_b.example.com,a_b.example.com",
      "xn--llowed-2nf.com,xn--llowed-2nf.com",
      "b\u00fccher.de,xn--bcher-kva.de",
      "0x7f000001,127.0.0.1",
      "0x,0.0.0.0",
      "0,0.0.0.0",
      "10.1,10.0.0.1",
      "192.168.257,192.168.1.1",
      "0300.0250.0.01,192.168.0.1",
      "[::FFFF:c0a8:1],192.168.0.1",
      "[2001:DB8::1],2001:db8:0:0:0:0:0:1",
  })
  void canonicalForms(String raw, String canonical) {
    assertEquals(canonical, HostCanonicalizer.canonicalize(raw).text());
  }

  @Test
  void typesAreDistinct() {
    assertInstanceOf(DomainName.class, HostCanonicalizer.canonicalize("example.com"));
    IpLiteral v4 = assertInstanceOf(IpLiteral.class, HostCanonicalizer.canonicalize("[::ffff:1.2.3.4]"));
    assertInstanceOf(Inet4Address.class, v4.address());
    IpLiteral v6 = assertInstanceOf(IpLiteral.class, HostCanonicalizer.canonicalize("[::1]"));
    assertInstanceOf(Inet6Address.class, v6.address());
    assertEquals("[0:0:0:0:0:0:0:1]", v6.uriHost());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a..b", ".a", "a.b..", "a b", "a\u00a0b", "a\u2028b", "a\u0000b", "a\rb", "a\nb",
      "a%2eb", "u@h", "a\\b", "a/b", "a?b", "a#b", "a:80", "[::1", "[::1]x", "[fe80::1%eth0]", "[zz::1]",
      "ex\u0000ample.com", "a.b.c.d.1", "1.2.3.4.5", "1.2.0x1g.3", "09", "1e3.5", "-a.com", "a-.com", "a!b.com"})
  void refused(String raw) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostCanonicalizer.canonicalize(raw));
    assertTrue(e.getMessage().indexOf('\r') < 0 && e.getMessage().indexOf('\n') < 0, e.getMessage());
  }

  @Test
  void lengthLimits() {
    String label63 = "a".repeat(63);
    assertEquals(label63 + ".com", HostCanonicalizer.canonicalize(label63 + ".com").text());
    assertThrows(IllegalArgumentException.class, () -> HostCanonicalizer.canonicalize("a" + label63 + ".com"));
    String name253 = ("a".repeat(49) + ".").repeat(5) + "abc"; // 250 + 3
    assertEquals(253, name253.length());
    assertEquals(name253, HostCanonicalizer.canonicalize(name253).text());
    assertEquals(name253, HostCanonicalizer.canonicalize(name253 + ".").text());
    assertThrows(IllegalArgumentException.class, () -> HostCanonicalizer.canonicalize("a" + name253));
  }

  @Test
  void onlyOneTrailingDotIsStripped() {
    assertEquals("example.com", HostCanonicalizer.canonicalize("example.com.").text());
    assertThrows(IllegalArgumentException.class, () -> HostCanonicalizer.canonicalize("example.com.."));
    assertThrows(IllegalArgumentException.class, () -> HostCanonicalizer.canonicalize("."));
  }
}
