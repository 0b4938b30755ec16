package dev.codemode.policies.config;

import dev.codemode.policies.SigV4Spec;
import dev.codemode.policies.UpstreamProxy;
import dev.codemode.policies.config.RawEgress.RawCredentialSource;
import dev.codemode.policies.config.RawEgress.RawOAuth;
import dev.codemode.policies.config.RawEgress.RawSigV4;
import dev.codemode.policies.config.RawEgress.RawUpstreamProxy;
import dev.codemode.policies.secrets.SecretSource;
import dev.codemode.policies.secrets.SecretTemplate;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Compiles the secret-bearing parts of a configuration: {@code credentials:} sources, secret templates
 * wherever a secret appears, {@code upstream_proxy} and {@code sign}. Nothing here reads a secret.
 */
final class EgressSecretsValidator {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  private static final Pattern AWS_WORD = Pattern.compile("[a-z0-9-]{1,64}");
  private static final Pattern NO_PROXY = Pattern.compile("\\.?[a-z0-9]([a-z0-9.-]{0,252})");
  private final ConfigChecks checks;
  private final Map<String, SecretSource> named = new LinkedHashMap<>();

  EgressSecretsValidator(ConfigChecks checks) {
    this.checks = checks;
  }

  /** Compiles {@code credentials:}; call first, so later templates can name its entries. */
  Map<String, SecretSource> credentials(Map<String, RawCredentialSource> raw) {
    if (raw != null) {
      raw.forEach((name, r) -> named.put(name, source("credentials." + name, name, r)));
    }
    return Map.copyOf(named);
  }

  private SecretSource source(String at, String name, RawCredentialSource r) {
    checks.require(NAME.matcher(name).matches(), at, "a credential name is letters, digits, '-' and '_', starting with a letter");
    checks.require(r != null, at, "empty credential source");
    int kinds = (r.env() == null ? 0 : 1) + (r.file() == null ? 0 : 1) + (r.command() == null ? 0 : 1)
        + (r.oauthClientCredentials() == null ? 0 : 1);
    checks.require(kinds == 1, at, "a credential source is exactly one of (allowed: env, file, command, oauth_client_credentials)");
    checks.require(r.ttlS() == null || r.command() != null, at + ".ttl_s", "ttl_s belongs to a command source");
    if (r.env() != null) {
      return only(at + ".env", "${env:" + r.env() + "}");
    }
    if (r.file() != null) {
      checks.require(Path.of(r.file()).isAbsolute(), at + ".file", "the path must be absolute");
      return only(at + ".file", "${file:" + r.file() + "}");
    }
    if (r.command() != null) {
      checks.require(!r.command().isEmpty() && r.command().stream().allMatch(a -> a != null && !a.isEmpty()), at + ".command",
          "a command is a non-empty list: the program, then its arguments (no shell)");
      checks.require(Path.of(r.command().get(0)).isAbsolute(), at + ".command", "the program is an absolute path");
      long ttl = checks.range(at + ".ttl_s", r.ttlS() == null ? 300L : r.ttlS(), 0, 86_400);
      return new SecretSource.Command(name, r.command(), Duration.ofSeconds(ttl));
    }
    RawOAuth o = r.oauthClientCredentials();
    String oat = at + ".oauth_client_credentials";
    checks.require(o.tokenUrl() != null, oat + ".token_url", "missing");
    URI url = uri(oat + ".token_url", o.tokenUrl());
    boolean https = "https".equals(url.getScheme());
    boolean loopbackHttp = "http".equals(url.getScheme()) && List.of("127.0.0.1", "localhost", "[::1]").contains(url.getHost());
    checks.require(url.getHost() != null && (https || loopbackHttp), oat + ".token_url",
        "the token endpoint is https (plain http only on loopback)");
    checks.require(o.clientId() != null && o.clientSecret() != null, oat, "needs client_id and client_secret");
    return new SecretSource.OAuthClientCredentials(name, url, template(oat + ".client_id", o.clientId(), false),
        template(oat + ".client_secret", o.clientSecret(), false), o.scope(), o.audience());
  }

  private SecretSource only(String at, String reference) {
    return template(at, reference, false).sources().get(0);
  }

  /** Compiles a secret template; {@code allowNamed} lets it name {@code credentials:} entries. */
  SecretTemplate template(String at, String text, boolean allowNamed) {
    checks.require(text != null && !text.isEmpty(), at, "missing (use '${env:NAME}', '${file:/path}' or '${credential:NAME}')");
    try {
      return SecretTemplate.parse(text, allowNamed ? named : Map.of());
    } catch (IllegalArgumentException e) {
      throw checks.fail(at, e.getMessage());
    }
  }

  private URI uri(String at, String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw checks.fail(at, "not a URL");
    }
  }

  /** {@code upstream_proxy}, or null when absent. */
  UpstreamProxy upstreamProxy(String at, RawUpstreamProxy raw) {
    if (raw == null) {
      return null;
    }
    checks.require(raw.url() != null, at + ".url", "missing (e.g. 'http://proxy.internal:3128')");
    URI url = uri(at + ".url", raw.url());
    checks.require("http".equals(url.getScheme()) && url.getHost() != null && url.getPort() > 0, at + ".url",
        "an upstream proxy is 'http://host:port' (https destinations are tunnelled with CONNECT)");
    checks.require(url.getUserInfo() == null, at + ".url", "put proxy credentials under 'credentials', not in the URL");
    checks.require((url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/")) && url.getQuery() == null,
        at + ".url", "a proxy URL has no path or query");
    List<String> noProxy = raw.noProxy() == null ? List.of() : raw.noProxy();
    for (int i = 0; i < noProxy.size(); i++) {
      String h = noProxy.get(i);
      checks.require(h != null && NO_PROXY.matcher(h.toLowerCase(java.util.Locale.ROOT)).matches(), at + ".no_proxy[" + i + "]",
          "a no_proxy entry is a host name or IP address, or '.suffix' for a domain and its subdomains");
    }
    String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
    return new UpstreamProxy("http", host, url.getPort(),
        raw.credentials() == null ? null : template(at + ".credentials", raw.credentials(), true), noProxy);
  }

  /** {@code sign}, or null when absent. */
  SigV4Spec sign(String at, RawEgress.RawSign raw) {
    if (raw == null) {
      return null;
    }
    RawSigV4 v = raw.awsSigV4();
    checks.require(v != null, at, "a sign block names its scheme (allowed: aws_sigv4)");
    String vat = at + ".aws_sigv4";
    checks.require(v.service() != null && AWS_WORD.matcher(v.service()).matches(), vat + ".service", "an AWS service name, e.g. s3");
    checks.require(v.region() != null && AWS_WORD.matcher(v.region()).matches(), vat + ".region", "an AWS region, e.g. us-east-1");
    checks.require(v.credentials() != null, vat + ".credentials", "missing (access_key_id, secret_access_key, session_token?)");
    return new SigV4Spec(v.service(), v.region(),
        template(vat + ".credentials.access_key_id", v.credentials().accessKeyId(), true),
        template(vat + ".credentials.secret_access_key", v.credentials().secretAccessKey(), true),
        v.credentials().sessionToken() == null ? null
            : template(vat + ".credentials.session_token", v.credentials().sessionToken(), true));
  }
}
