package dev.codemode.policies.net;

/** A URL host after {@link HostCanonicalizer}: either a DNS name or an IP address literal. */
public sealed interface HostName permits DomainName, IpLiteral {

  /** The canonical text: an ASCII lower-case name, a dotted IPv4 address, or an IPv6 address without brackets. */
  String text();

  /** The host as it is written in a URL authority (IPv6 in brackets). */
  String uriHost();
}
