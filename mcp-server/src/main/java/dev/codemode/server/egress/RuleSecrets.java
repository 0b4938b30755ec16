package dev.codemode.server.egress;

import dev.codemode.policies.CredentialSpec;
import dev.codemode.policies.net.EgressRule;
import dev.codemode.policies.net.EgressTarget;
import dev.codemode.policies.secrets.SecretSource;
import dev.codemode.policies.secrets.SecretTemplate;
import dev.codemode.server.Secrets;
import dev.codemode.server.secrets.SecretUnavailableException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an allow rule adds to the requests it allows: its {@code credential} header, read from its source
 * for every hop (a rotated file or refreshed token is used at once), then its {@code sign} signature
 * ({@link SigV4Signing}) over the finished request. The injected value is taken back out
 * of the response headers, so the guest never receives it: the credential's header is removed, and so is
 * any header whose value contains the injected value, and the value's exact occurrences in the body are
 * masked (an endpoint that reflects request headers). An endpoint that returns it transformed (encoded,
 * split, hashed) is not caught: SECURITY.md, "Echo risk".
 */
final class RuleSecrets {
  private final Secrets secrets;

  private RuleSecrets(Secrets secrets) {
    this.secrets = secrets;
  }

  /**
   * Checks every credential the rules reference that can be checked at start (variables set, files readable).
   *
   * @throws IllegalArgumentException naming the rule and the missing reference
   */
  static RuleSecrets compile(List<EgressRule> rules, Secrets secrets) {
    for (EgressRule rule : rules) {
      List<SecretTemplate> needed = new ArrayList<>();
      if (rule.sign() != null) {
        needed.add(rule.sign().accessKeyId());
        needed.add(rule.sign().secretAccessKey());
        if (rule.sign().sessionToken() != null) {
          needed.add(rule.sign().sessionToken());
        }
      }
      for (SecretTemplate t : needed) {
        try {
          secrets.requireAvailable(t);
        } catch (SecretUnavailableException e) {
          throw new IllegalArgumentException(rule.describe() + ": sign: " + e.getMessage(), e);
        }
      }
      if (rule.credential() != null) {
        for (SecretSource source : rule.credential().value().sources()) {
          if (source instanceof SecretSource.Env env && !secrets.isSet(env)) {
            throw new IllegalArgumentException(rule.describe() + ": credential references " + env.reference() + ", which is not set");
          }
        }
        try {
          secrets.requireAvailable(rule.credential().value());
        } catch (SecretUnavailableException e) {
          throw new IllegalArgumentException(rule.describe() + ": credential: " + e.getMessage(), e);
        }
      }
    }
    return new RuleSecrets(secrets);
  }

  /** The headers of one hop allowed by {@code rule}, and the secret values in them. */
  record Applied(List<Map.Entry<String, String>> headers, List<String> injected) {}

  /**
   * {@code headers} with the rule's credential set, then signed when the rule says {@code sign}.
   *
   * @throws SecretUnavailableException when a source cannot be read now
   */
  Applied apply(EgressRule rule, EgressTarget target, String hostHeader, List<Map.Entry<String, String>> headers,
      byte[] body) {
    CredentialSpec credential = rule.credential();
    List<String> injected = new ArrayList<>();
    List<Map.Entry<String, String>> out = headers;
    if (credential != null) {
      Secrets.Resolved value = secrets.resolveParts(credential.value());
      if (!dev.codemode.policies.net.HttpTokens.isSafeValue(value.value())) {
        throw new SecretUnavailableException(rule.describe() + ": the credential value holds a control character");
      }
      injected.addAll(value.secrets());
      injected.add(value.value());
      out = EgressHeaders.withCredential(headers, credential.header(), value.value());
    }
    if (rule.sign() != null) {
      out = SigV4Signing.sign(rule.sign(), secrets, target, hostHeader, out, body, injected);
    }
    return new Applied(out, injected);
  }

  /** After a 401: drops cached tokens of the rule's credential; true when a retry can bring a new one. */
  boolean refreshAfterUnauthorized(EgressRule rule) {
    boolean any = rule.credential() != null && secrets.refresh(rule.credential().value());
    if (rule.sign() != null) {
      any |= secrets.refresh(rule.sign().accessKeyId()) | secrets.refresh(rule.sign().secretAccessKey());
    }
    return any;
  }

  /** The response headers without the credential's header and without any header that reflects an injected value. */
  Map<String, List<String>> strip(EgressRule rule, Applied applied, Map<String, List<String>> headers) {
    if (rule.credential() == null && applied.injected().isEmpty()) {
      return headers;
    }
    String credentialHeader = rule.credential() == null ? null : rule.credential().header().toLowerCase(Locale.ROOT);
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if (h.getKey().equals(credentialHeader) || reflects(h.getValue(), applied.injected())) {
        continue;
      }
      out.put(h.getKey(), new ArrayList<>(h.getValue()));
    }
    return out;
  }

  /** {@code body} with each exact occurrence of an injected value (UTF-8) replaced by {@code <secret>}. */
  static byte[] mask(Applied applied, byte[] body) {
    byte[] out = body;
    for (String secret : applied.injected()) {
      if (secret.length() >= 4) {
        out = replaceAll(out, secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), MASK);
      }
    }
    return out;
  }

  private static final byte[] MASK = "<secret>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static byte[] replaceAll(byte[] data, byte[] needle, byte[] with) {
    java.io.ByteArrayOutputStream out = null;
    int copied = 0;
    for (int i = 0; i <= data.length - needle.length; i++) {
      if (java.util.Arrays.equals(data, i, i + needle.length, needle, 0, needle.length)) {
        if (out == null) {
          out = new java.io.ByteArrayOutputStream(data.length);
        }
        out.write(data, copied, i - copied);
        out.writeBytes(with);
        copied = i + needle.length;
        i = copied - 1;
      }
    }
    if (out == null) {
      return data;
    }
    out.write(data, copied, data.length - copied);
    return out.toByteArray();
  }

  private static boolean reflects(List<String> values, List<String> injected) {
    for (String v : values) {
      for (String secret : injected) {
        if (secret.length() >= 4 && v.contains(secret)) {
          return true;
        }
      }
    }
    return false;
  }
}
