package dev.codemode.policies.net;

import dev.codemode.policies.Printable;
import java.math.BigInteger;
import java.net.IDN;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Turns a URL host into its one canonical {@link HostName}; every later decision uses only that result.
 *
 * <p>Rules, applied in this order:
 * <ol>
 *   <li>Rejected outright: empty input; NUL, CR, LF and every other control or whitespace character;
 *       {@code %} (so percent-encoded hosts and IPv6 zone ids such as {@code [fe80::1%25eth0]} are
 *       refused, never stripped: a zone id only makes sense for link-local targets, which the sandbox
 *       never needs); {@code @} and userinfo; {@code \ / ? # *}; a port ({@code :} outside brackets).
 *   <li>Non-ASCII names are converted with {@link IDN#toASCII(String)} (IDNA 2003, unassigned code points
 *       refused), so a homograph becomes its own {@code xn--} name and never equals the Latin name.
 *   <li>Lower case; exactly one trailing dot is removed (a second one leaves an empty label: refused).
 *   <li>{@code [..]} is an IPv6 literal; an IPv4-mapped one ({@code ::ffff:a.b.c.d}) becomes IPv4.
 *   <li>A name whose last label is numeric (decimal, {@code 0x} hex) is an IPv4 address in any of the
 *       spellings browsers accept: 1 to 4 parts, each decimal, {@code 0x} hex or {@code 0}-prefixed
 *       octal, the last part filling the remaining bytes ({@code 127.1}, {@code 2130706433},
 *       {@code 0x7f000001}, {@code 0177.0.0.1}); anything else that looks numeric is refused.
 *   <li>Otherwise a DNS name: labels of 1 to 63 characters from {@code a-z 0-9 - _}, not starting or
 *       ending with {@code -}, at most 253 characters in all.
 * </ol>
 * No DNS lookup happens here.
 */
public final class HostCanonicalizer {
  private static final int MAX_NAME = 253;
  private static final int MAX_LABEL = 63;

  private HostCanonicalizer() {}

  /**
   * The canonical form of {@code rawHost}.
   *
   * @throws IllegalArgumentException naming why the host is refused
   */
  public static HostName canonicalize(String rawHost) {
    if (rawHost == null || rawHost.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    rejectForbiddenCharacters(rawHost);
    if (rawHost.charAt(0) == '[') {
      return new IpLiteral(ipv6Literal(rawHost));
    }
    if (rawHost.indexOf(':') >= 0 || rawHost.indexOf(']') >= 0) {
      throw new IllegalArgumentException("host '" + Printable.of(rawHost) + "' contains ':' or ']' outside an IPv6 literal");
    }
    String ascii = toAscii(rawHost).toLowerCase(Locale.ROOT);
    if (ascii.endsWith(".")) {
      ascii = ascii.substring(0, ascii.length() - 1);
    }
    if (ascii.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    String[] labels = ascii.split("\\.", -1);
    if (looksNumeric(labels[labels.length - 1])) {
      return new IpLiteral(ipv4(labels, rawHost));
    }
    return new DomainName(checkDomain(ascii, labels, rawHost));
  }

  private static void rejectForbiddenCharacters(String host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == 0 || c == '\r' || c == '\n') {
        throw new IllegalArgumentException("host contains NUL, CR or LF");
      }
      if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        throw new IllegalArgumentException("host '" + Printable.of(host) + "' contains whitespace or a control character");
      }
      switch (c) {
        case '%' -> throw new IllegalArgumentException(
            "host '" + Printable.of(host) + "' contains '%' (percent-encoding and IPv6 zone ids are not accepted)");
        case '@' -> throw new IllegalArgumentException("host '" + Printable.of(host) + "' contains '@' (userinfo is not accepted)");
        case '\\', '/', '?', '#', '*' -> throw new IllegalArgumentException(
            "host '" + Printable.of(host) + "' contains '" + c + "'");
        default -> { }
      }
    }
  }

  private static String toAscii(String host) {
    boolean ascii = host.chars().allMatch(ch -> ch < 0x80);
    if (ascii) {
      return host;
    }
    try {
      return IDN.toASCII(host);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("host '" + Printable.of(host) + "' is not a valid internationalized name: " + e.getMessage());
    }
  }

  private static String checkDomain(String name, String[] labels, String raw) {
    if (name.length() > MAX_NAME) {
      throw new IllegalArgumentException("host name longer than " + MAX_NAME + " characters");
    }
    for (String label : labels) {
      if (label.isEmpty()) {
        throw new IllegalArgumentException("host '" + Printable.of(raw) + "' has an empty label");
      }
      if (label.length() > MAX_LABEL) {
        throw new IllegalArgumentException("host '" + Printable.of(raw) + "' has a label longer than " + MAX_LABEL + " characters");
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) {
          throw new IllegalArgumentException("host '" + Printable.of(raw) + "' contains '" + Printable.of(String.valueOf(c)) + "'");
        }
      }
      if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
        throw new IllegalArgumentException("host '" + Printable.of(raw) + "' has a label starting or ending with '-'");
      }
    }
    return name;
  }

  /** The WHATWG URL rule: a last label of digits, or 0x and hex digits, makes the whole host an IPv4 address. */
  private static boolean looksNumeric(String label) {
    if (label.isEmpty()) {
      return false;
    }
    if (label.startsWith("0x")) {
      return label.substring(2).chars().allMatch(HostCanonicalizer::isHex);
    }
    return label.chars().allMatch(ch -> ch >= '0' && ch <= '9');
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  private static InetAddress ipv4(String[] parts, String raw) {
    if (parts.length > 4) {
      throw new IllegalArgumentException("host '" + Printable.of(raw) + "' is numeric but has more than 4 parts");
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = ipv4Part(parts[i], raw);
    }
    for (int i = 0; i < parts.length - 1; i++) {
      if (values[i] > 255) {
        throw new IllegalArgumentException("host '" + Printable.of(raw) + "' is not a valid IPv4 address");
      }
    }
    int lastBytes = 5 - parts.length;
    long last = values[parts.length - 1];
    if (last >= (1L << (8 * lastBytes))) {
      throw new IllegalArgumentException("host '" + Printable.of(raw) + "' is not a valid IPv4 address");
    }
    long address = 0;
    for (int i = 0; i < parts.length - 1; i++) {
      address |= values[i] << (8 * (3 - i));
    }
    address |= last;
    byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 bytes are always an IPv4 address", e);
    }
  }

  private static long ipv4Part(String part, String raw) {
    String digits = part;
    int radix = 10;
    if (part.startsWith("0x")) {
      digits = part.substring(2);
      radix = 16;
    } else if (part.length() > 1 && part.charAt(0) == '0') {
      digits = part.substring(1);
      radix = 8;
    }
    if (part.isEmpty() || (digits.isEmpty() && radix != 16) || digits.length() > 32) {
      throw new IllegalArgumentException("host '" + Printable.of(raw) + "' is not a valid IPv4 address");
    }
    if (digits.isEmpty()) {
      return 0; // "0x" alone is zero, as browsers read it
    }
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), radix) < 0 || digits.charAt(i) > 'f') {
        throw new IllegalArgumentException("host '" + Printable.of(raw) + "' is not a valid IPv4 address");
      }
    }
    try {
      BigInteger value = new BigInteger(digits, radix);
      return value.bitLength() > 40 ? Long.MAX_VALUE : value.longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("host '" + Printable.of(raw) + "' is not a valid IPv4 address");
    }
  }

  private static InetAddress ipv6Literal(String raw) {
    if (raw.length() < 3 || raw.charAt(raw.length() - 1) != ']') {
      throw new IllegalArgumentException("host '" + Printable.of(raw) + "' is not a valid IPv6 literal");
    }
    String body = raw.substring(1, raw.length() - 1).toLowerCase(Locale.ROOT);
    boolean colon = false;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      colon |= c == ':';
      if (!(isHex(c) || c == ':' || c == '.')) {
        throw new IllegalArgumentException("host '" + Printable.of(raw) + "' is not a valid IPv6 literal");
      }
    }
    if (!colon) {
      throw new IllegalArgumentException("host '" + Printable.of(raw) + "' is not a valid IPv6 literal");
    }
    try {
      // Only hex digits, ':' and '.' in brackets: the JDK parses this as a literal and never consults DNS.
      InetAddress address = InetAddress.getByName("[" + body + "]");
      return address instanceof Inet4Address ? address : InetAddress.getByAddress(address.getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("host '" + Printable.of(raw) + "' is not a valid IPv6 literal");
    }
  }
}
