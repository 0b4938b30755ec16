package dev.codemode.server.egress;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code fetch()} resolves to.
 *
 * @param headers lower-case names, in arrival order ({@code set-cookie} removed, as browsers hide it)
 * @param finalUrl the URL of the last hop, after redirects
 */
public record FetchResponse(int status, String statusText, Map<String, List<String>> headers, byte[] body, String finalUrl) {
  public FetchResponse {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    headers = Collections.unmodifiableMap(copy);
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
