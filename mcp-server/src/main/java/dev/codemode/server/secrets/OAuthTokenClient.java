package dev.codemode.server.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.policies.secrets.SecretSource;
import dev.codemode.policies.secrets.SecretTemplate;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Function;

/**
 * The OAuth 2.0 client-credentials grant (RFC 6749 section 4.4): client id and secret in HTTP Basic (section
 * 2.3.1), {@code scope} and {@code audience} in the form. Errors name the endpoint and the status only: a
 * token endpoint's body may echo what it was sent.
 */
final class OAuthTokenClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
  private static final int MAX_BODY = 64 * 1024;
  private final Function<SecretTemplate, String> templates;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NEVER).proxy(java.net.ProxySelector.of(null)).build();

  OAuthTokenClient(Function<SecretTemplate, String> templates) {
    this.templates = templates;
  }

  SourceReader.Expiring fetch(SecretSource.OAuthClientCredentials source) {
    String what = source.reference() + " (token endpoint " + source.tokenUrl() + ")";
    String id = templates.apply(source.clientId());
    String secret = templates.apply(source.clientSecret());
    StringBuilder form = new StringBuilder("grant_type=client_credentials");
    if (source.scope() != null) {
      form.append("&scope=").append(URLEncoder.encode(source.scope(), StandardCharsets.UTF_8));
    }
    if (source.audience() != null) {
      form.append("&audience=").append(URLEncoder.encode(source.audience(), StandardCharsets.UTF_8));
    }
    String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(id, StandardCharsets.UTF_8) + ":"
        + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(source.tokenUrl()).timeout(Duration.ofSeconds(15))
        .header("Authorization", "Basic " + basic).header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new SecretUnavailableException(what + " could not be reached (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SecretUnavailableException(what + " was interrupted");
    }
    if (response.statusCode() != 200) {
      throw new SecretUnavailableException(what + " answered HTTP " + response.statusCode());
    }
    JsonNode body;
    try {
      body = response.body().length > MAX_BODY ? null : JSON.readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.path("access_token").isTextual() || body.path("access_token").asText().isEmpty()) {
      throw new SecretUnavailableException(what + " answered without an access_token");
    }
    String tokenType = body.path("token_type").asText("bearer");
    if (!tokenType.equalsIgnoreCase("bearer")) {
      throw new SecretUnavailableException(what + " issued a token that is not of type bearer");
    }
    long expiresIn = body.path("expires_in").asLong(0);
    return new SourceReader.Expiring(body.path("access_token").asText(),
        expiresIn > 0 ? Duration.ofSeconds(expiresIn) : DEFAULT_LIFETIME);
  }
}
