package dev.codemode.policies.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.AuthSettings;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.HttpSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code http:} and {@code auth:} keys: defaults, values, and line-numbered errors. */
class ServerSettingsConfigTest extends ConfigFixture {
  private static final String HASH = "sha256:" + "ab".repeat(32);
  @Test
  void defaultsAreLoopbackAndNoAuth() {
    CodemodeConfig cfg = ConfigLoader.loadDefault();
    assertEquals(HttpSettings.defaults(), cfg.http());
    assertFalse(cfg.auth().enabled());
    assertEquals(List.of("loopback"), cfg.http().allowedOrigins());
    assertEquals(1 << 20, cfg.http().maxRequestBytes());
  }

  @Test
  void httpValues() {
    HttpSettings h = parse("""
        http:
          stateless: true
          allowed_origins: ['https://app.example.com', loopback]
          allowed_hosts: [mcp.internal]
          max_request_bytes: 4096
          max_header_bytes: 2048
          shutdown_grace_ms: 0
          rate_limit: {per_minute: 30}
        """).http();
    assertTrue(h.stateless());
    assertEquals(List.of("https://app.example.com", "loopback"), h.allowedOrigins());
    assertEquals(List.of("mcp.internal"), h.allowedHosts());
    assertEquals(4096, h.maxRequestBytes());
    assertEquals(2048, h.maxHeaderBytes());
    assertEquals(0, h.shutdownGraceMs());
    assertEquals(30, h.rateLimit().perMinute());
    assertEquals(HttpSettings.defaults().rateLimit().burst(), h.rateLimit().burst());
  }

  @Test
  void tokensAreStoredAsHashesWithProfiles() {
    CodemodeConfig cfg = parse("""
        profiles:
          research: {proc: {wall_ms: 1000}}
        auth:
          tokens:
            - {principal: alice, sha256: '%s', profiles: [default]}
            - {principal: bob, sha256: 'sha256:%s', profiles: ['*']}
        """.formatted(HASH, "cd".repeat(32)));
    AuthSettings a = cfg.auth();
    assertTrue(a.enabled());
    assertEquals("alice", a.tokens().get(0).principal());
    assertEquals(32, a.tokens().get(0).sha256().length);
    assertEquals((byte) 0xab, a.tokens().get(0).sha256()[0]);
    assertEquals(List.of("*"), a.tokens().get(1).profiles());
    assertNull(a.oauth());
  }

  @Test
  void oauthWithAJwksFile() throws Exception {
    Files.writeString(dir.resolve("jwks.json"), "{\"keys\":[]}");
    AuthSettings.OAuthSettings o = parse("""
        auth:
          oauth:
            resource: https://codemode.example.com/mcp
            issuer: https://login.example.com
            jwks_file: jwks.json
            required_scopes: [mcp]
        """).auth().oauth();
    assertEquals(List.of("https://codemode.example.com/mcp"), o.audiences(), "the audience defaults to the resource");
    assertEquals(List.of("https://login.example.com"), o.authorizationServers());
    assertEquals(dir.resolve("jwks.json").toAbsolutePath().toString(), o.jwksFile());
    assertEquals(List.of("default"), o.profiles());
    assertEquals("sub", o.principalClaim());
  }

  @Test
  void stdioProfilesAreGrantedLikeATokensAndCheckedTheSameWay() {
    assertTrue(ConfigLoader.parse("", "t.yaml", Path.of(".")).stdio().mayUse("anything"), "no stdio key: every profile");
    var stdio = ConfigLoader.parse("profiles: {research: {}}\nstdio: {profiles: [research]}\n", "t.yaml", Path.of(".")).stdio();
    assertTrue(stdio.mayUse("research"));
    assertFalse(stdio.mayUse("default"));
    ConfigException unknown = error("stdio: {profiles: [nope]}\n");
    assertEquals("stdio.profiles[0]", unknown.keyPath());
    assertTrue(unknown.getMessage().contains("unknown profile 'nope'"), unknown.getMessage());
    assertEquals("stdio.profiles", error("stdio: {profiles: []}\n").keyPath());
  }

  @Test
  void errorsNameTheLineAndKey() {
    ConfigException raw = error("""
        auth:
          tokens:
            - principal: alice
              sha256: my-plain-token
              profiles: [default]
        """);
    assertEquals(4, raw.line());
    assertEquals("auth.tokens[0].sha256", raw.keyPath());
    assertTrue(raw.getMessage().contains("never the token itself"), raw.getMessage());

    ConfigException profile = error("""
        auth:
          tokens:
            - {principal: alice, sha256: '%s', profiles: [research]}
        """.formatted(HASH));
    assertTrue(profile.getMessage().contains("unknown profile 'research'"), profile.getMessage());

    ConfigException dup = error("""
        auth:
          tokens:
            - {principal: alice, sha256: '%s', profiles: [default]}
            - {principal: bob, sha256: '%s', profiles: [default]}
        """.formatted(HASH, HASH));
    assertTrue(dup.getMessage().contains("listed twice"), dup.getMessage());

    assertTrue(error("http: {allowed_origins: ['*']}\n").getMessage().contains("no '*'"));
    assertTrue(error("http: {allowed_origins: ['https://App.example.com/']}\n").keyPath().startsWith("http.allowed_origins"));
    assertTrue(error("http: {allowed_hosts: []}\n").keyPath().equals("http.allowed_hosts"));
    assertTrue(error("http: {max_request_bytes: 10}\n").getMessage().contains("between 1024"));
    assertTrue(error("http: {unknown: 1}\n").getMessage().contains("unknown key 'unknown'"));
    assertTrue(error("auth: {}\n").getMessage().contains("no tokens and no oauth"));
    assertTrue(error("""
        auth:
          oauth: {resource: 'https://r.example/mcp', issuer: 'https://i.example', jwks_file: missing.json}
        """).getMessage().contains("does not exist"));
    assertTrue(error("""
        auth:
          oauth: {resource: 'https://r.example/mcp', issuer: 'https://i.example', jwks_url: 'https://i.example/jwks', jwks_file: x}
        """).getMessage().contains("exactly one of jwks_url and jwks_file"));
  }

  @Test
  void aTokenHashMayComeFromTheEnvironmentAndAnUnsetOrWrongVariableIsAnError() {
    ConfigException unset = error("""
        auth:
          tokens:
            - {principal: alice, sha256: '${env:CODEMODE_TEST_SURELY_UNSET_42}', profiles: [default]}
        """);
    assertEquals("auth.tokens[0].sha256", unset.keyPath());
    assertEquals(3, unset.line());
    assertTrue(unset.getMessage().contains("the environment variable CODEMODE_TEST_SURELY_UNSET_42 is not set"),
        unset.getMessage());
    ConfigException notAHash = error("""
        auth:
          tokens:
            - {principal: alice, sha256: '${env:PATH}', profiles: [default]}
        """);
    assertTrue(notAHash.getMessage().contains("read from the environment variable"), notAHash.getMessage());
    assertFalse(notAHash.getMessage().contains(System.getenv("PATH")), "the variable's value is not echoed");
  }
}
