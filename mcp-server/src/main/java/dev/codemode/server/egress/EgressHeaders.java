package dev.codemode.server.egress;

import dev.codemode.policies.Printable;
import dev.codemode.policies.net.HttpTokens;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The request headers the proxy sends: the guest's, minus credentials and headers the proxy owns,
 * plus the matching rule's credential.
 *
 * <p>Removed (names compared case-insensitively and exactly, plus every {@code proxy-*} name):
 * credentials ({@link #CREDENTIAL_HEADERS}); hop-by-hop and framing headers, which the proxy writes
 * itself ({@link #PROXY_OWNED_HEADERS}); client-address headers a server might trust
 * ({@code forwarded}, {@code x-forwarded-*} listed, {@code x-real-ip}, {@code via}); and any header the
 * guest's {@code Connection} header names. A name that is not an RFC 9110 token, a value with NUL, CR,
 * LF or another control character, or the same name twice refuses the whole request.
 */
final class EgressHeaders {
  /** Headers that carry credentials; a guest never sets them (the proxy injects configured ones). */
  static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie", "cookie2",
      "x-api-key", "api-key", "x-auth-token", "x-access-token", "x-amz-security-token", "x-goog-api-key",
      "private-token", "x-vault-token", "x-csrf-token", "x-xsrf-token");

  /** Hop-by-hop, framing and address headers the proxy controls. */
  static final Set<String> PROXY_OWNED_HEADERS = Set.of("host", "connection", "keep-alive", "te", "trailer",
      "transfer-encoding", "upgrade", "content-length", "expect", "accept-encoding", "http2-settings", "forwarded",
      "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip", "via");

  private EgressHeaders() {}

  /**
   * Checks and filters the guest's headers; the result keeps the guest's spelling and order.
   *
   * @throws EgressDeniedException for a bad name or value, or a duplicated name
   */
  static List<Map.Entry<String, String>> fromGuest(Map<String, String> guest) throws EgressDeniedException {
    Set<String> seen = new HashSet<>();
    Set<String> connectionListed = new HashSet<>();
    for (Map.Entry<String, String> e : guest.entrySet()) {
      String name = e.getKey();
      if (!HttpTokens.isToken(name)) {
        throw new EgressDeniedException("header name '" + Printable.of(name) + "' is not a valid HTTP header name");
      }
      if (!HttpTokens.isSafeValue(e.getValue())) {
        throw new EgressDeniedException("header '" + name + "' has a value with NUL, CR, LF or another control character");
      }
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        throw new EgressDeniedException("header '" + name + "' is set twice");
      }
      if (name.equalsIgnoreCase("connection")) {
        for (String token : e.getValue().split(",")) {
          connectionListed.add(token.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    List<Map.Entry<String, String>> kept = new ArrayList<>();
    for (Map.Entry<String, String> e : guest.entrySet()) {
      String lower = e.getKey().toLowerCase(Locale.ROOT);
      boolean drop = CREDENTIAL_HEADERS.contains(lower) || PROXY_OWNED_HEADERS.contains(lower)
          || lower.startsWith("proxy-") || connectionListed.contains(lower);
      if (!drop) {
        kept.add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    return kept;
  }

  /** {@code headers} without {@code name} (case-insensitive), then {@code name: value} appended. */
  static List<Map.Entry<String, String>> withCredential(List<Map.Entry<String, String>> headers, String name, String value) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (Map.Entry<String, String> e : headers) {
      if (!e.getKey().equalsIgnoreCase(name)) {
        out.add(e);
      }
    }
    out.add(Map.entry(name, value));
    return out;
  }
}
