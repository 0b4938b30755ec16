package dev.codemode.server.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.policies.ops.PiiPattern;
import dev.codemode.policies.ops.PiiSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PiiTokenizerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PiiDetector detector = new PiiDetector(List.of(new PiiPattern("EMPLOYEE_ID", "EMP-\\d{6}")));

  private PiiTokenizer tokenizer() {
    return new PiiTokenizer(detector, Duration.ofMinutes(10), Clock.systemUTC());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "mail ada.lovelace@example.com now|mail [EMAIL_1] now",
      "card 4111 1111 1111 1111.|card [CARD_1].",
      "card 4111-1111-1111-1111|card [CARD_1]",
      "iban DE89 3704 0044 0532 0130 00 AND more|iban [IBAN_1] AND more",
      "iban GB82WEST12345698765432|iban [IBAN_1]",
      "call +44 20 7946 0958 today|call [PHONE_1] today",
      "call (415) 555-2671|call [PHONE_1]",
      "id EMP-123456 ok|id [EMPLOYEE_ID_1] ok",
  })
  void detectsAndTokenizes(String row) {
    String[] io = row.split("\\|");
    assertEquals(io[1], numbered(tokenizer().tokenize(io[0])));
  }

  private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("\\[([A-Z][A-Z0-9_]*)_([a-z2-7]{12})]");

  /** {@code text} with each distinct token renamed {@code [LABEL_n]} in order of first appearance, to compare shapes. */
  private static String numbered(String text) {
    java.util.Map<String, String> names = new java.util.HashMap<>();
    java.util.Map<String, Integer> counts = new java.util.HashMap<>();
    return TOKEN.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(names.computeIfAbsent(m.group(),
        t -> "[" + m.group(1) + "_" + counts.merge(m.group(1), 1, Integer::sum) + "]")));
  }

  private static Set<String> all(PiiTokenizer t, String text) {
    return t.writtenIn(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "4111 1111 1111 1112",            // Luhn fails by one digit
      "41111111111111111111111",        // 23 digits: part of a longer run, not a card
      "0000000000000000",               // passes Luhn, but one repeated digit
      "3704 0044 0532 0130 01",         // passes Luhn, but no card network has this prefix and length
      "1234567812345670",               // passes Luhn, no network starts with 1
      "DE89 3704 0044 0532 0130 01",    // mod-97 fails
      "GB82WEST1234569876543",          // one character short
      "order 2024-01-15 total 1234.56", // dates and amounts
      "version 1.2.3.4 build 12345",
      "user@localhost",                 // no top-level domain
      "a@b.c",                          // one-letter TLD
      "[EMAIL_1] written by the guest",
  })
  void nearMissesAreLeftAlone(String text) {
    assertEquals(text, tokenizer().tokenize(text));
  }

  @Test
  void tokensAreStablePerValueAndUnguessable() {
    PiiTokenizer t = tokenizer();
    String three = t.tokenize("a@x.org b@x.org a@x.org");
    assertEquals("[EMAIL_1] [EMAIL_2] [EMAIL_1]", numbered(three));
    assertEquals(three.split(" ")[1], t.tokenize("b@x.org"));
    assertTrue(three.matches("\\[EMAIL_[a-z2-7]{12}] \\[EMAIL_[a-z2-7]{12}] \\[EMAIL_[a-z2-7]{12}]"), three);
    assertFalse(t.tokenize("c@x.org").equals(tokenizer().tokenize("c@x.org")), "two sessions give one value different tokens");
  }

  @Test
  void restoreGivesRealValuesBackForThisSessionOnly() throws Exception {
    PiiVault vault = new PiiVault(new PiiSettings(60, List.of()), Clock.systemUTC());
    PiiTokenizer alice = vault.session("alice");
    PiiTokenizer bob = vault.session("bob");
    String a = alice.tokenize("alice@corp.example");
    String b = bob.tokenize("bob@corp.example");
    String unknown = "[EMAIL_aaaaaaaaaaaa]";
    JsonNode args = JSON.readTree("{\"to\":\"" + a + "\",\"cc\":[\"x " + a + " y\",\"" + unknown + "\"],\"n\":3}");
    assertEquals("{\"to\":\"alice@corp.example\",\"cc\":[\"x alice@corp.example y\",\"" + unknown + "\"],\"n\":3}",
        alice.restore(args, all(alice, args.toString())).toString());
    assertEquals("bob@corp.example", bob.restore(JSON.readTree("\"" + b + "\""), all(bob, b)).asText());
    // Another session's token resolves to nothing, even when the code holds it.
    PiiTokenizer mallory = vault.session("mallory");
    assertEquals(a, mallory.restore(JSON.readTree("\"" + a + "\""), all(mallory, a)).asText());
    assertEquals(args, args.deepCopy(), "the input is not modified");
  }

  @Test
  void forgedTokenShapesDoNotResolve() throws Exception {
    PiiTokenizer t = tokenizer();
    String real = t.tokenize("alice@corp.example");
    String r = real.substring(7, 19);
    for (String forged : List.of("[email_" + r + "]", "[EMAIL_1]", "[EMAIL_" + r + " ]", "[ EMAIL_" + r + "]",
        "[EMAIL_" + r.toUpperCase() + "]", "[EMAIL_" + r.substring(1) + "]", "EMAIL_" + r, "[PHONE_" + r + "]")) {
      assertEquals(forged, t.restore(forged, all(t, forged)));
    }
  }

  @Test
  void onlyTokensWrittenInTheCodeAreRestored() {
    PiiTokenizer t = tokenizer();
    String real = t.tokenize("alice@corp.example");
    // Built at run time from pieces: the code never holds the token, so nothing is restored.
    String code = "const t = '[EMAIL_' + '" + real.substring(7, 19) + "' + ']'; await servers.mail.send({to: t})";
    assertEquals(Set.of(), t.writtenIn(code));
    assertEquals(real, t.restore(real, t.writtenIn(code)));
    assertEquals("alice@corp.example", t.restore(real, t.writtenIn("send({to: '" + real + "'})")));
  }

  @Test
  void tokenizesJsonKeysAndValues() throws Exception {
    JsonNode out = tokenizer().tokenize(JSON.readTree("{\"bob@x.org\":{\"phone\":\"+1 415 555 2671\"},\"n\":[1,\"c@x.org\"]}"));
    assertEquals("{\"[EMAIL_1]\":{\"phone\":\"[PHONE_1]\"},\"n\":[1,\"[EMAIL_2]\"]}", numbered(out.toString()));
  }

  @Test
  void unusedTokensExpire() {
    AtomicLong now = new AtomicLong(0);
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return Instant.ofEpochMilli(now.get()); }
    };
    PiiTokenizer t = new PiiTokenizer(detector, Duration.ofMinutes(1), clock);
    String token = t.tokenize("a@x.org");
    Set<String> written = t.writtenIn(token);
    now.set(30_000);
    assertEquals("a@x.org", t.restore(token, written));
    now.set(200_000);
    assertEquals(token, t.restore(token, written));
    assertEquals(0, t.size());
  }

  @Test
  void luhnAndIbanChecks() {
    assertTrue(PiiDetector.Checks.luhnValid("4012888888881881"));
    assertFalse(PiiDetector.Checks.luhnValid("4012888888881882"));
    assertTrue(PiiDetector.Checks.luhnValid("1234567812345670"));
    assertTrue(PiiDetector.Checks.luhnValid("370400440532013001"));
    assertTrue(PiiDetector.Checks.cardNetwork("378282246310005"));
    assertFalse(PiiDetector.Checks.cardNetwork("370400440532013001"));
    assertTrue(PiiDetector.Checks.ibanValid("FR1420041010050500013M02606"));
    assertFalse(PiiDetector.Checks.ibanValid("FR1420041010050500013M02607"));
    assertFalse(PiiDetector.Checks.ibanValid("FR14200410100505000-3M02606"));
  }
}
