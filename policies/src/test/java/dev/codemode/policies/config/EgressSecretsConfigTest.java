package dev.codemode.policies.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.UpstreamProxy;
import dev.codemode.policies.secrets.SecretSource;
import dev.codemode.policies.secrets.SecretTemplate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code credentials:}, secret templates, {@code upstream_proxy} and {@code sign}: compiled at load, errors with line and key. */
class EgressSecretsConfigTest extends ConfigFixture {
  @Test
  void sourcesAndTemplatesCompile() {
    CodemodeConfig cfg = parse("""
        credentials:
          helper: {command: [/usr/bin/vault-token, --json], ttl_s: 60}
          idp: {oauth_client_credentials: {token_url: 'https://idp.example/token', client_id: '${env:ID}', client_secret: '${file:/run/s}', scope: 'a b'}}
        upstream_proxy: {url: 'http://proxy.corp:3128', credentials: 'Basic ${file:/run/proxy}', no_proxy: [.corp.example, Internal.Example]}
        profiles:
          default:
            net:
              enabled: true
              allow:
                - {host: api.example.com, credential: {header: Authorization, value: 'Bearer ${credential:idp}'}}
                - {host: bucket.s3.amazonaws.com, sign: {aws_sigv4: {service: s3, region: eu-west-1,
                   credentials: {access_key_id: '${env:AK}', secret_access_key: '${credential:helper}'}}}}
          direct:
            net: {upstream_proxy: {url: 'http://other:8080'}}
        servers:
          web: {url: 'https://mcp.example.com/mcp', headers: {Authorization: 'Bearer ${credential:idp}', X-Plain: 'p'}}
        """);
    SecretSource.Command helper = assertInstanceOf(SecretSource.Command.class, cfg.credentials().get("helper"));
    assertEquals(Duration.ofSeconds(60), helper.ttl());
    assertEquals(List.of("/usr/bin/vault-token", "--json"), helper.argv());
    var rules = cfg.defaultProfile().net().allow();
    SecretTemplate bearer = rules.get(0).credential().value();
    assertEquals(List.of(cfg.credentials().get("idp")), bearer.sources());
    assertEquals("Bearer ${credential:idp}", bearer.toString());
    assertEquals("s3", rules.get(1).sign().service());
    assertEquals(new SecretSource.Env("AK"), rules.get(1).sign().accessKeyId().sources().get(0));
    UpstreamProxy proxy = cfg.defaultProfile().net().upstreamProxy();
    assertEquals("proxy.corp", proxy.host());
    assertEquals(3128, proxy.port());
    assertTrue(proxy.bypasses("corp.example") && proxy.bypasses("a.corp.example") && proxy.bypasses("internal.example"));
    assertFalse(proxy.bypasses("xcorp.example") || proxy.bypasses("a.internal.example"));
    assertEquals(8080, cfg.profile("direct").orElseThrow().net().upstreamProxy().port(), "a profile's own proxy replaces the global one");
    assertEquals("<redacted>", cfg.servers().get("web").headers().get("X-Plain").toString(), "a literal never prints");
    assertNull(ConfigLoader.loadDefault().defaultProfile().net().upstreamProxy());
  }

  @Test
  void badValuesNameTheKeyAndTheFix() {
    assertTrue(errorMessage("""
        profiles:
          default:
            net: {enabled: true, allow: [{host: a.example, credential: {header: X-Key, value: '${credential:nope}'}}]}
        """).contains("profiles.default.net.allow[0].credential.value: '${credential:nope}' names no entry under credentials"));
    assertTrue(errorMessage("""
        credentials:
          both: {env: A, file: /b}
        """).contains("credentials.both: a credential source is exactly one of (allowed: env, file, command, oauth_client_credentials)"));
    assertTrue(errorMessage("""
        credentials:
          rel: {command: [vault, read]}
        """).contains("credentials.rel.command: the program is an absolute path"));
    assertTrue(errorMessage("""
        credentials:
          plain: {oauth_client_credentials: {token_url: 'http://idp.example/token', client_id: a, client_secret: b}}
        """).contains("the token endpoint is https (plain http only on loopback)"));
    assertTrue(errorMessage("""
        upstream_proxy: {url: 'http://user:pw@proxy:3128'}
        """).contains("upstream_proxy.url: put proxy credentials under 'credentials', not in the URL"));
    assertTrue(errorMessage("""
        upstream_proxy: {url: 'https://proxy:3128'}
        """).contains("upstream_proxy.url: an upstream proxy is 'http://host:port'"));
    assertTrue(errorMessage("""
        profiles:
          default:
            net: {enabled: true, allow: [{host: a.example, credential: {header: X-Key, value: '${vault:x}'}}]}
        """).contains("unsupported '${' reference (allowed: ${env:NAME}, ${file:/path}, ${credential:NAME})"));
    assertTrue(errorMessage("""
        profiles:
          default:
            net: {enabled: true, allow: [{host: a.example, sign: {aws_sigv4: {service: S3, region: us-east-1, credentials: {access_key_id: a, secret_access_key: b}}}}]}
        """).contains("sign.aws_sigv4.service: an AWS service name"));
    assertTrue(errorMessage("""
        profiles:
          default:
            net: {enabled: true, allow: [{host: a.example}], deny: [{host: b.example, sign: {aws_sigv4: {service: s3, region: us-east-1, credentials: {access_key_id: a, secret_access_key: b}}}}]}
        """).contains("only allow rules sign requests"));
  }

  @Test
  void aTemplateWithoutReferencesIsALiteralSecret() {
    SecretTemplate t = SecretTemplate.parse("Bearer abc", Map.of());
    assertTrue(t.sources().isEmpty());
    assertEquals("<redacted>", t.toString());
    assertEquals("Bearer abc", t.written());
  }
}
