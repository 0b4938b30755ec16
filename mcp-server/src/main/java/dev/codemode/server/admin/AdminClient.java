package dev.codemode.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The {@code codemode admin} side: calls the loopback admin endpoint with its bearer token. */
public final class AdminClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final URI base;
  private final String token;

  public AdminClient(String host, int port, String token) {
    this.base = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    this.token = token;
  }

  /** One answer: the HTTP status and the JSON body. */
  public record Answer(int status, JsonNode body) {}

  /** Sends {@code method path} and returns the answer. */
  public Answer call(String method, String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token)
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), JSON.readTree(r.body().isEmpty() ? "{}" : r.body()));
  }
}
