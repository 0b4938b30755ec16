package dev.codemode.policies.config;

import dev.codemode.policies.AuthSettings;
import dev.codemode.policies.AuthSettings.OAuthSettings;
import dev.codemode.policies.AuthSettings.TokenGrant;
import dev.codemode.policies.HttpSettings;
import dev.codemode.policies.config.RawServerSettings.RawAuth;
import dev.codemode.policies.config.RawServerSettings.RawHttp;
import dev.codemode.policies.config.RawServerSettings.RawOAuth;
import dev.codemode.policies.config.RawServerSettings.RawToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks the {@code http:} and {@code auth:} keys and builds {@link HttpSettings} and {@link AuthSettings}; fails closed. */
final class ServerSettingsValidator {
  private static final Pattern ORIGIN = Pattern.compile("https?://([a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\\[[0-9a-f:.]+\\])(:[0-9]{1,5})?");
  private static final Pattern HOST = Pattern.compile("([a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\\[[0-9a-f:.]+\\])");
  private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
  private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}");
  private static final Pattern URL = Pattern.compile("https?://[^\\s#?]+");
  private static final Pattern CLAIM = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]{0,63}");

  private final String source;
  private final ConfigChecks checks;
  private final Path baseDir;

  ServerSettingsValidator(String source, LineIndex lines, Path baseDir) {
    this.source = source;
    this.checks = new ConfigChecks(source, lines);
    this.baseDir = baseDir;
  }

  HttpSettings http(RawHttp raw) {
    HttpSettings d = HttpSettings.defaults();
    if (raw == null) {
      return d;
    }
    List<String> origins = raw.allowedOrigins() == null ? d.allowedOrigins() : raw.allowedOrigins();
    for (int i = 0; i < origins.size(); i++) {
      String o = origins.get(i);
      checks.require(o != null && (o.equals(HttpSettings.LOOPBACK) || ORIGIN.matcher(o).matches()), "http.allowed_origins[" + i + "]",
          "an origin is 'loopback' or exactly scheme://host[:port] in lower case, no path and no '*' (got '" + o + "')");
    }
    List<String> hosts = raw.allowedHosts() == null ? d.allowedHosts() : raw.allowedHosts();
    checks.require(!hosts.isEmpty(), "http.allowed_hosts", "list at least one host name ('loopback', a name, or '*')");
    for (int i = 0; i < hosts.size(); i++) {
      String h = hosts.get(i);
      checks.require(h != null && (h.equals(HttpSettings.LOOPBACK) || h.equals("*") || HOST.matcher(h).matches()),
          "http.allowed_hosts[" + i + "]", "a host is 'loopback', '*', or a lower-case host name without a port (got '" + h + "')");
    }
    HttpSettings.RateLimit rate = d.rateLimit();
    if (raw.rateLimit() != null) {
      double perMinute = raw.rateLimit().perMinute() == null ? rate.perMinute() : raw.rateLimit().perMinute();
      checks.require(perMinute >= 0 && perMinute <= 1_000_000, "http.rate_limit.per_minute", "must be between 0 (off) and 1000000");
      long burst = checks.range("http.rate_limit.burst", raw.rateLimit().burst() == null ? rate.burst() : raw.rateLimit().burst(), 1, 100_000);
      rate = new HttpSettings.RateLimit(perMinute, (int) burst);
    }
    return new HttpSettings(raw.stateless() != null && raw.stateless(), origins, hosts,
        checks.range("http.max_request_bytes", or(raw.maxRequestBytes(), d.maxRequestBytes()), 1024, 1L << 30),
        (int) checks.range("http.max_header_bytes", or(raw.maxHeaderBytes() == null ? null : raw.maxHeaderBytes().longValue(), d.maxHeaderBytes()), 1024, 1 << 20),
        checks.range("http.shutdown_grace_ms", or(raw.shutdownGraceMs(), d.shutdownGraceMs()), 0, 600_000), rate);
  }

  /**
   * A token hash as written, or, for {@code ${env:NAME}}, the value of that environment variable, read
   * once here (a Kubernetes Secret provides it, so the ConfigMap holds no hashes); null when it is unset.
   */
  private String tokenHash(String at, String written) {
    Matcher m = written == null ? null : ENV_REF.matcher(written);
    if (m == null || !m.matches()) {
      return written;
    }
    String value = System.getenv(m.group(1));
    checks.require(value != null, at, "the environment variable " + m.group(1) + " is not set");
    return value == null ? null : value.trim();
  }

  AuthSettings auth(RawAuth raw, Set<String> profileNames) {
    if (raw == null) {
      return AuthSettings.none();
    }
    List<TokenGrant> tokens = new ArrayList<>();
    Set<String> principals = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    List<RawToken> rawTokens = raw.tokens() == null ? List.of() : raw.tokens();
    for (int i = 0; i < rawTokens.size(); i++) {
      String at = "auth.tokens[" + i + "]";
      RawToken t = rawTokens.get(i);
      checks.require(t != null && t.principal() != null && PRINCIPAL.matcher(t.principal()).matches(), at + ".principal",
          "a principal is letters, digits, '.', '_', '@' and '-' (up to 128)");
      checks.require(principals.add(t.principal()), at + ".principal", "principal '" + t.principal() + "' is listed twice");
      String hash = tokenHash(at + ".sha256", t.sha256());
      checks.require(hash != null && HASH.matcher(hash).matches(), at + ".sha256",
          "store the token's SHA-256 as 'sha256:' and 64 lower-case hex digits (bin/codemode hash-token prints it), never the token itself"
          + (Objects.equals(hash, t.sha256()) ? "" : " (read from the environment variable the value names)"));
      checks.require(hashes.add(hash), at + ".sha256", "the same token hash is listed twice");
      tokens.add(new TokenGrant(t.principal(), HexFormat.of().parseHex(hash.substring(7)),
          profiles(at + ".profiles", t.profiles(), profileNames, null)));
    }
    OAuthSettings oauth = raw.oauth() == null ? null : oauth(raw.oauth(), profileNames);
    checks.require(!tokens.isEmpty() || oauth != null, "auth", "auth is configured but lists no tokens and no oauth; remove it or add one");
    return new AuthSettings(tokens, oauth);
  }

  private OAuthSettings oauth(RawOAuth raw, Set<String> profileNames) {
    String at = "auth.oauth";
    checks.require(raw.resource() != null && URL.matcher(raw.resource()).matches(), at + ".resource",
        "the resource is this server's canonical http(s) URL, e.g. https://codemode.example.com/mcp");
    checks.require(raw.issuer() != null && URL.matcher(raw.issuer()).matches(), at + ".issuer", "the issuer is an http(s) URL");
    checks.require((raw.jwksUrl() == null) != (raw.jwksFile() == null), at, "give exactly one of jwks_url and jwks_file");
    String jwksFile = null;
    if (raw.jwksUrl() != null) {
      checks.require(URL.matcher(raw.jwksUrl()).matches(), at + ".jwks_url", "jwks_url is an http(s) URL");
    } else {
      Path p = baseDir.resolve(raw.jwksFile()).normalize();
      checks.require(Files.isRegularFile(p) && Files.isReadable(p), at + ".jwks_file", "JWKS file " + p + " does not exist or is not readable");
      jwksFile = p.toAbsolutePath().toString();
    }
    List<String> audiences = raw.audience() == null ? List.of(raw.resource()) : raw.audience();
    checks.require(!audiences.isEmpty(), at + ".audience", "list at least one accepted audience");
    for (int i = 0; i < audiences.size(); i++) {
      checks.require(audiences.get(i) != null && !audiences.get(i).isBlank(), at + ".audience[" + i + "]", "an audience may not be empty");
    }
    List<String> servers = raw.authorizationServers() == null ? List.of(raw.issuer()) : raw.authorizationServers();
    for (int i = 0; i < servers.size(); i++) {
      checks.require(servers.get(i) != null && URL.matcher(servers.get(i)).matches(), at + ".authorization_servers[" + i + "]",
          "an authorization server is an http(s) URL");
    }
    List<String> scopes = raw.requiredScopes() == null ? List.of() : raw.requiredScopes();
    for (int i = 0; i < scopes.size(); i++) {
      checks.require(scopes.get(i) != null && SCOPE.matcher(scopes.get(i)).matches(), at + ".required_scopes[" + i + "]", "not a valid scope token");
    }
    Map<String, List<String>> scopeProfiles = new LinkedHashMap<>();
    if (raw.scopeProfiles() != null) {
      for (Map.Entry<String, List<String>> e : raw.scopeProfiles().entrySet()) {
        checks.require(SCOPE.matcher(e.getKey()).matches(), at + ".scope_profiles." + e.getKey(), "not a valid scope token");
        scopeProfiles.put(e.getKey(), profiles(at + ".scope_profiles." + e.getKey(), e.getValue(), profileNames, null));
      }
    }
    String claim = raw.principalClaim() == null ? "sub" : raw.principalClaim();
    checks.require(CLAIM.matcher(claim).matches(), at + ".principal_claim", "not a valid claim name");
    return new OAuthSettings(raw.resource(), raw.issuer(), audiences, raw.jwksUrl(), jwksFile, servers, scopes,
        profiles(at + ".profiles", raw.profiles(), profileNames, List.of("default")), scopeProfiles, claim,
        checks.range(at + ".clock_skew_s", or(raw.clockSkewSeconds(), 60L), 0, 300));
  }

  private List<String> profiles(String at, List<String> raw, Set<String> known, List<String> fallback) {
    List<String> list = raw == null ? fallback : raw;
    checks.require(list != null && !list.isEmpty(), at, "list the profiles this principal may use (e.g. [default], or ['*'] for all)");
    for (int i = 0; i < list.size(); i++) {
      String p = list.get(i);
      checks.require(p != null && (p.equals(AuthSettings.ALL_PROFILES) || known.contains(p)), at + "[" + i + "]",
          "unknown profile '" + p + "' (configured: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
    }
    return list;
  }

  private static long or(Long value, long fallback) {
    return value == null ? fallback : value;
  }

}
