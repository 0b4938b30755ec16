package dev.codemode.server.e2e;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Plain HTTP requests to the server on 127.0.0.1 (for status codes and headers the MCP client hides). */
public final class RawHttp {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .version(HttpClient.Version.HTTP_1_1).build();

  private RawHttp() {}

  /** Sends {@code method} with {@code body} (null = none) and {@code headers}; {@code chunked} hides the length. */
  public static HttpResponse<String> send(String method, String url, Map<String, String> headers, byte[] body, boolean chunked)
      throws Exception {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
        : HttpRequest.BodyPublishers.ofByteArray(body);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).method(method, publisher);
    headers.forEach(b::header);
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** A JSON-RPC POST to {@code url} with the headers a Streamable HTTP client sends. */
  public static HttpResponse<String> postJson(String url, Map<String, String> headers, String json) throws Exception {
    java.util.Map<String, String> all = new java.util.LinkedHashMap<>(headers);
    all.putIfAbsent("Content-Type", "application/json");
    all.putIfAbsent("Accept", "application/json, text/event-stream");
    return send("POST", url, all, json.getBytes(StandardCharsets.UTF_8), false);
  }

  /** The JSON-RPC initialize request. */
  public static String initialize() {
    return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
  }
}
