package dev.codemode.policies;

import dev.codemode.policies.secrets.SecretTemplate;
import java.util.Map;

/** A header the egress proxy adds to requests an egress rule allows; the value never enters the sandbox. */
public record CredentialSpec(String header, SecretTemplate value) {
  /** A credential whose value may reference {@code ${env:NAME}} and {@code ${file:PATH}} only. */
  public CredentialSpec(String header, String value) {
    this(header, SecretTemplate.parse(value, Map.of()));
  }

  @Override
  public String toString() {
    return "CredentialSpec[header=" + header + ", value=" + value + "]";
  }
}
