package dev.codemode.policies.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.EgressRuleSpec;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExfilDenyListTest {
  private static final EgressMatcher EVERYTHING_ALLOWED = EgressMatcher.compile(List.of(
      all("api.anthropic.com"), all("api.openai.com"), all("api.github.com"), all("pastebin.com"), all("discord.com"),
      all("generativelanguage.googleapis.com"), all("hooks.slack.com")), List.of());

  private static EgressRuleSpec all(String host) {
    return new EgressRuleSpec(host, List.of("https", "http"), List.of(443, 80, 8443),
        List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"), List.of(), false, null);
  }

  @ParameterizedTest(name = "{0} {1} -> allowed {2}")
  @CsvSource(delimiter = '|', value = {
      "POST|https://api.anthropic.com/v1/files|false",
      "GET|https://api.anthropic.com/v1/files|false",
      "DELETE|https://api.anthropic.com/v1/files/file_123|false",
      "POST|https://API.Anthropic.COM./v1/files|false",
      "POST|https://api.anthropic.com:8443/v1/files|false",
      "POST|http://api.anthropic.com/v1/files|false",
      "POST|https://api.anthropic.com/V1/Files|false",
      "POST|https://api.anthropic.com/v1/%66iles|false",
      "POST|https://api.anthropic.com/v1/files/|false",
      "POST|https://api.anthropic.com/v1/files?beta=true|false",
      "POST|https://api.anthropic.com/v1/messages|true",
      "POST|https://api.anthropic.com/v1/filesystem|true",
      "POST|https://api.openai.com/v1/files|false",
      "POST|https://api.openai.com/v1/uploads/u1/parts|false",
      "POST|https://api.openai.com/v1/chat/completions|true",
      "POST|https://generativelanguage.googleapis.com/upload/v1beta/files|false",
      "POST|https://api.github.com/gists|false",
      "PATCH|https://api.github.com/gists/abc|false",
      "GET|https://api.github.com/gists/abc|true",
      "GET|https://pastebin.com/raw/x|false",
      "POST|https://hooks.slack.com/services/T/B/X|false",
      "POST|https://discord.com/api/webhooks/1/abc|false",
      "POST|https://discord.com/api/v10/webhooks/1/abc|false",
      "GET|https://discord.com/api/v10/users/@me|true",
  })
  void builtInListWinsOverAllowRules(String method, String url, boolean allowed) {
    Verdict verdict = EVERYTHING_ALLOWED.check(url, method);
    assertEquals(allowed, verdict.allowed(), verdict.reason());
    if (!allowed) {
      assertTrue(verdict.reason().startsWith("built-in exfiltration deny rule (host "), verdict.reason());
      assertTrue(verdict.rule().isDeny());
    }
  }

  @org.junit.jupiter.api.Test
  void listIsSmallAndEveryRuleIsADenyRule() {
    assertTrue(ExfilDenyList.rules().size() <= 16);
    ExfilDenyList.rules().forEach(r -> assertTrue(r.isDeny(), r.describe()));
    assertFalse(ExfilDenyList.check(EgressTarget.parse("https://example.com/v1/files", "POST")).isPresent());
  }
}
