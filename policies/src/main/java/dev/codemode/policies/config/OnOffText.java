package dev.codemode.policies.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;

/**
 * Reads a setting spelled {@code on}/{@code off}: YAML 1.1 parses a bare {@code on}/{@code off} (and
 * {@code true}/{@code false}, {@code yes}/{@code no}) as a boolean, which means the same words here.
 */
final class OnOffText extends JsonDeserializer<String> {
  @Override
  public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
    return switch (p.currentToken()) {
      case VALUE_TRUE -> "on";
      case VALUE_FALSE -> "off";
      case VALUE_STRING -> p.getText();
      default -> (String) ctx.handleUnexpectedToken(String.class, p);
    };
  }
}
