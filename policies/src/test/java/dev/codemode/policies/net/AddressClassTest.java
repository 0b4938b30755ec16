package dev.codemode.policies.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressClassTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "127.0.0.1,LOOPBACK", "127.255.255.254,LOOPBACK", "::1,LOOPBACK",
      "10.0.0.1,PRIVATE", "172.16.0.1,PRIVATE", "172.31.255.255,PRIVATE", "192.168.1.1,PRIVATE",
      "fc00::1,PRIVATE", "fd12:3456::1,PRIVATE", "fec0::1,PRIVATE",
      "169.254.1.1,LINK_LOCAL", "fe80::1,LINK_LOCAL", "febf::1,LINK_LOCAL",
      "169.254.169.254,METADATA", "fd00:ec2::254,METADATA", "100.100.100.200,METADATA", "169.254.170.2,METADATA",
      "192.0.0.192,METADATA",
      "100.64.0.1,CGNAT", "100.127.255.255,CGNAT",
      "224.0.0.1,MULTICAST", "239.255.255.250,MULTICAST", "ff02::1,MULTICAST",
      "0.0.0.0,UNSPECIFIED", "::,UNSPECIFIED",
      "255.255.255.255,BROADCAST",
      "0.1.2.3,RESERVED", "192.0.2.1,RESERVED", "198.51.100.1,RESERVED", "203.0.113.1,RESERVED",
      "198.18.0.1,RESERVED", "198.19.255.255,RESERVED", "240.0.0.1,RESERVED", "192.0.0.8,RESERVED",
      "2001:db8::1,RESERVED", "3fff::1,RESERVED", "2001::1,RESERVED", "100::1,RESERVED", "64:ff9b:1::1,RESERVED",
      // embedded IPv4: classified by what is inside
      "::ffff:127.0.0.1,LOOPBACK", "::ffff:a9fe:a9fe,METADATA", "::10.0.0.1,PRIVATE", "64:ff9b::a9fe:a9fe,METADATA",
      "64:ff9b::7f00:1,LOOPBACK", "2002:7f00:1::,LOOPBACK", "2002:c0a8:101::1,PRIVATE", "2002:0808:0808::1,PUBLIC",
      "64:ff9b::808:808,PUBLIC",
      // public, including the edges just outside special ranges
      "8.8.8.8,PUBLIC", "1.1.1.1,PUBLIC", "172.15.255.255,PUBLIC", "172.32.0.0,PUBLIC", "100.63.255.255,PUBLIC",
      "100.128.0.0,PUBLIC", "169.253.255.255,PUBLIC", "223.255.255.255,PUBLIC", "198.20.0.0,PUBLIC",
      "2606:4700:4700::1111,PUBLIC", "2001:4860:4860::8888,PUBLIC",
  })
  void classifies(String literal, AddressClass expected) {
    assertEquals(expected, AddressClass.ofLiteral(literal));
  }

  @Test
  void onlyPublicIsPublic() {
    for (AddressClass c : AddressClass.values()) {
      assertEquals(c == AddressClass.PUBLIC, c.isPublic(), c.name());
    }
  }

  @Test
  void ipv6MappedFromRawBytesIsStillClassifiedByTheEmbeddedAddress() throws Exception {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 169;
    mapped[13] = (byte) 254;
    mapped[14] = (byte) 169;
    mapped[15] = (byte) 254;
    InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
    assertEquals(AddressClass.METADATA, AddressClass.of(v6));
  }

  @Test
  void metadataNames() {
    assertTrue(AddressClass.isMetadataName("metadata.google.internal"));
    assertFalse(AddressClass.isMetadataName("metadata.google.internal.evil.com"));
    assertFalse(AddressClass.isMetadataName("example.com"));
  }
}
