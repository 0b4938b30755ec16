package dev.codemode.policies.net;

/** A canonical DNS name: ASCII (punycode), lower case, no trailing dot, never numeric in its last label. */
public record DomainName(String name) implements HostName {
  @Override
  public String text() {
    return name;
  }

  @Override
  public String uriHost() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
