package dev.codemode.policies.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Set;

/**
 * What kind of address an IP address is; only {@link #PUBLIC} may be reached without {@code allow_private},
 * and {@link #METADATA} never.
 *
 * <p>IPv6 is public only inside global unicast {@code 2000::/3} and outside every special range below;
 * IPv6 forms that embed an IPv4 address (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible {@code ::/96},
 * NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are classified by the embedded IPv4 address.
 */
public enum AddressClass {
  PUBLIC,
  LOOPBACK,
  /** 10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10. */
  PRIVATE,
  /** 169.254/16, fe80::/10. */
  LINK_LOCAL,
  /** Cloud instance metadata endpoints: never reachable, not even with {@code allow_private}. */
  METADATA,
  /** 100.64/10 (carrier-grade NAT, also used by some clouds internally). */
  CGNAT,
  MULTICAST,
  UNSPECIFIED,
  BROADCAST,
  /** Documentation, benchmarking, "this network", future use and other special-purpose ranges. */
  RESERVED;

  private static final Set<String> METADATA_NAMES = Set.of(
      "metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal",
      "metadata.azure.internal");

  /** Whether this class may be reached by a rule without {@code allow_private}. */
  public boolean isPublic() {
    return this == PUBLIC;
  }

  /** Whether a canonical host name is a well-known cloud metadata name (reachable only inside a cloud VM). */
  public static boolean isMetadataName(String canonicalName) {
    return METADATA_NAMES.contains(canonicalName);
  }

  /** The class of {@code address}. */
  public static AddressClass of(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return ofV4(b);
    }
    if (address instanceof Inet6Address) {
      return ofV6(b);
    }
    return RESERVED;
  }

  private static AddressClass ofV4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    int a2 = b[2] & 0xff;
    int a3 = b[3] & 0xff;
    if ((a0 == 169 && a1 == 254 && a2 == 169 && a3 == 254) // AWS, GCP, Azure, OpenStack, ...
        || (a0 == 169 && a1 == 254 && a2 == 170 && (a3 == 2 || a3 == 23)) // AWS ECS / EKS pod identity
        || (a0 == 100 && a1 == 100 && a2 == 100 && a3 == 200) // Alibaba Cloud
        || (a0 == 192 && a1 == 0 && a2 == 0 && a3 == 192)) { // Oracle Cloud
      return METADATA;
    }
    if (a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0) {
      return UNSPECIFIED;
    }
    if (a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255) {
      return BROADCAST;
    }
    if (a0 == 127) {
      return LOOPBACK;
    }
    if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
      return PRIVATE;
    }
    if (a0 == 169 && a1 == 254) {
      return LINK_LOCAL;
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      return CGNAT;
    }
    if (a0 >= 224 && a0 <= 239) {
      return MULTICAST;
    }
    if (a0 == 0 // "this network"
        || a0 >= 240 // future use
        || (a0 == 192 && a1 == 0 && a2 == 0) // IETF protocol assignments
        || (a0 == 192 && a1 == 0 && a2 == 2) // TEST-NET-1
        || (a0 == 198 && a1 == 51 && a2 == 100) // TEST-NET-2
        || (a0 == 203 && a1 == 0 && a2 == 113) // TEST-NET-3
        || (a0 == 198 && (a1 & 0xfe) == 18) // benchmarking 198.18/15
        || (a0 == 192 && a1 == 88 && a2 == 99)) { // 6to4 relay anycast
      return RESERVED;
    }
    return PUBLIC;
  }

  private static AddressClass ofV6(byte[] b) {
    if (isZero(b, 0, 16)) {
      return UNSPECIFIED;
    }
    if (isZero(b, 0, 15) && b[15] == 1) {
      return LOOPBACK;
    }
    if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return ofV4(slice(b, 12)); // IPv4-mapped
    }
    if (isZero(b, 0, 12)) {
      return ofV4(slice(b, 12)); // IPv4-compatible (deprecated)
    }
    if (u16(b, 0) == 0x0064 && u16(b, 2) == 0xff9b && isZero(b, 4, 12)) {
      return ofV4(slice(b, 12)); // NAT64 well-known prefix
    }
    if (u16(b, 0) == 0x2002) {
      return ofV4(slice(b, 2)); // 6to4
    }
    if (u16(b, 0) == 0xfd00 && u16(b, 2) == 0x0ec2 && isZero(b, 4, 14) && u16(b, 14) == 0x0254) {
      return METADATA; // AWS IMDS over IPv6
    }
    int first = b[0] & 0xff;
    if (first == 0xff) {
      return MULTICAST;
    }
    if ((first & 0xfe) == 0xfc) {
      return PRIVATE;
    }
    if (first == 0xfe && (b[1] & 0xc0) == 0x80) {
      return LINK_LOCAL;
    }
    if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
      return PRIVATE; // site-local, deprecated
    }
    if ((first & 0xe0) != 0x20) {
      return RESERVED; // outside global unicast 2000::/3 (includes 64:ff9b:1::/48, 100::/64)
    }
    int w0 = u16(b, 0);
    int w1 = u16(b, 2);
    if ((w0 == 0x2001 && w1 < 0x0200) // 2001::/23 IETF protocol assignments: Teredo, benchmarking, ORCHID
        || (w0 == 0x2001 && w1 == 0x0db8) // documentation
        || (w0 & 0xfff0) == 0x3ff0) { // 3fff::/20 documentation
      return RESERVED;
    }
    return PUBLIC;
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  private static byte[] slice(byte[] b, int from) {
    return new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]};
  }

  /** Test and tooling helper: the class of a literal address text (no DNS; refuses names). */
  public static AddressClass ofLiteral(String literal) {
    HostName host = HostCanonicalizer.canonicalize(literal.indexOf(':') >= 0 && literal.charAt(0) != '[' ? "[" + literal + "]" : literal);
    if (host instanceof IpLiteral ip) {
      return of(ip.address());
    }
    throw new IllegalArgumentException("'" + literal + "' is not an IP literal");
  }
}
