package dev.codemode.server.egress;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A guest's {@code fetch(url, init)}.
 *
 * @param method null means GET
 * @param headers as the guest set them; null means none
 * @param body null means none
 */
public record FetchRequest(String url, String method, Map<String, String> headers, byte[] body) {
  public FetchRequest {
    headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    body = body == null ? null : body.clone();
  }

  @Override
  public byte[] body() {
    return body == null ? null : body.clone();
  }
}
