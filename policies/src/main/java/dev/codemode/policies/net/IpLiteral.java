package dev.codemode.policies.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/** An IP address written directly as a URL host (IPv4-mapped IPv6 literals are already unwrapped to IPv4). */
public record IpLiteral(InetAddress address) implements HostName {
  public IpLiteral {
    Objects.requireNonNull(address, "address");
  }

  @Override
  public String text() {
    return address.getHostAddress();
  }

  @Override
  public String uriHost() {
    return address instanceof Inet6Address ? "[" + text() + "]" : text();
  }

  @Override
  public String toString() {
    return uriHost();
  }
}
