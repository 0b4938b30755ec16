package dev.codemode.server.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.config.ConfigLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpsPrinterTest {
  @TempDir Path dir;

  @Test
  void printsEffectiveSettingsWithALiteralTokenRedacted() {
    String literal = ConfigLoader.parse("admin: {enabled: true, token: 'literal-admin-token-0123456789'}", "t.yaml", dir).ops().toString();
    String printed = OpsPrinter.print(ConfigLoader.parse(
        "admin: {enabled: true, token: 'literal-admin-token-0123456789'}\nquarantine: {triggers: [limit]}", "t.yaml", dir).ops());
    assertFalse(printed.contains("literal-admin-token"), printed);
    assertFalse(literal.contains("literal-admin-token"), literal);
    assertTrue(printed.contains("token: \"<redacted>\""), printed);
    assertTrue(printed.contains("- \"limit\""), printed);
    String ref = OpsPrinter.print(ConfigLoader.parse("admin: {enabled: true, token: '${env:ADMIN}'}", "t.yaml", dir).ops());
    assertTrue(ref.contains("${env:ADMIN}"), ref);
  }
}
