package dev.codemode.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.AuthSettings;
import dev.codemode.policies.AuthSettings.TokenGrant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BearerAuthenticatorTest {
  private static final String TOKEN = "s3cret-token-value-0123456789";
  private final BearerAuthenticator auth = new BearerAuthenticator(new AuthSettings(List.of(
      new TokenGrant("alice", TokenHash.sha256(TOKEN), List.of("default")),
      new TokenGrant("bob", TokenHash.sha256("bob-token-value-0123456789ab"), List.of("*"))), null));

  @Test
  void theRightTokenIsItsPrincipal() {
    AuthOutcome o = auth.authenticate(List.of("Bearer " + TOKEN));
    assertEquals("alice", o.principal().name());
    assertTrue(o.principal().mayUse("default"));
    assertFalse(o.principal().mayUse("research"));
    assertEquals("alice", auth.authenticate(List.of("bearer " + TOKEN)).principal().name(), "the scheme is case-insensitive");
    assertTrue(auth.authenticate(List.of("Bearer bob-token-value-0123456789ab")).principal().mayUse("anything"));
  }

  @Test
  void everythingElseFailsClosed() {
    assertEquals(AuthOutcome.Failure.MISSING, auth.authenticate(List.of()).failure());
    for (String h : List.of("Bearer " + TOKEN + "x", "Bearer " + TOKEN.toUpperCase(), "Basic " + TOKEN, TOKEN, "Bearer",
        "Bearer  ", "Bearer " + TOKEN + " extra", "Bearer sha256:" + TokenHash.configForm(TOKEN).substring(7),
        "Bearer " + "a".repeat(10_000))) {
      assertEquals(AuthOutcome.Failure.INVALID, auth.authenticate(List.of(h)).failure(), h);
    }
    assertEquals(AuthOutcome.Failure.INVALID, auth.authenticate(List.of("Bearer " + TOKEN, "Bearer " + TOKEN)).failure(),
        "two Authorization headers");
  }

  @Test
  void withoutAuthEveryoneIsTheLocalPrincipal() {
    BearerAuthenticator none = new BearerAuthenticator(AuthSettings.none());
    assertFalse(none.enabled());
    assertEquals("local", none.authenticate(List.of()).principal().name());
  }

  @Test
  void theConfigFormIsSha256Hex() {
    assertEquals("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", TokenHash.configForm("test"));
    assertEquals(43, TokenHash.newToken().length());
  }
}
