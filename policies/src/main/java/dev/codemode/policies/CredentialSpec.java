package dev.codemode.policies;

/** A header the egress proxy adds to requests an egress rule allows; the value never enters the sandbox. */
public record CredentialSpec(String header, String value) {
  @Override
  public String toString() {
    return "CredentialSpec[header=" + header + ", value=<redacted>]";
  }
}
