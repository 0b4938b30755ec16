package dev.codemode.policies.net;

import dev.codemode.policies.Printable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One request as the egress rules see it: parsed strictly and canonicalized once.
 *
 * @param scheme {@code http} or {@code https}
 * @param host the canonical host
 * @param port the effective port (the scheme's default when the URL names none)
 * @param method an upper-case method from {@link #METHODS}
 * @param path the decoded path
 * @param rawQuery the query as written (percent-encoded), or null
 */
public record EgressTarget(String scheme, HostName host, int port, String method, RequestPath path, String rawQuery) {
  /** The methods a request or rule may name; CONNECT, TRACE and extension methods are refused. */
  public static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  public EgressTarget {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
  }

  /**
   * Parses {@code url} with {@link URI} and refuses userinfo, opaque or relative URLs, schemes other than
   * http and https, bad ports and anything {@link HostCanonicalizer} or {@link RequestPath} refuses. A
   * fragment is dropped.
   *
   * @throws IllegalArgumentException naming why the URL is refused
   */
  public static EgressTarget parse(String url, String method) {
    String m = normalizeMethod(method);
    if (url == null || url.isEmpty()) {
      throw new IllegalArgumentException("empty URL");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("malformed URL: " + Printable.of(e.getMessage()));
    }
    return of(uri, m);
  }

  /** As {@link #parse(String, String)}, for an already parsed URI. */
  public static EgressTarget of(URI uri, String method) {
    String m = normalizeMethod(method);
    if (uri.isOpaque() || uri.getScheme() == null || uri.getRawAuthority() == null) {
      throw new IllegalArgumentException("URL must be absolute, with a scheme and a host");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("scheme '" + Printable.of(scheme) + "' is not allowed (only http and https)");
    }
    String authority = uri.getRawAuthority();
    if (authority.indexOf('@') >= 0) {
      throw new IllegalArgumentException("URL contains userinfo ('@' in the authority)");
    }
    String hostPart = authority;
    String portPart = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unterminated IPv6 literal in URL");
      }
      hostPart = authority.substring(0, close + 1);
      String rest = authority.substring(close + 1);
      if (!rest.isEmpty()) {
        if (rest.charAt(0) != ':') {
          throw new IllegalArgumentException("unexpected text after IPv6 literal in URL");
        }
        portPart = rest.substring(1);
      }
    } else {
      int colon = authority.indexOf(':');
      if (colon >= 0) {
        hostPart = authority.substring(0, colon);
        portPart = authority.substring(colon + 1);
      }
    }
    HostName host = HostCanonicalizer.canonicalize(hostPart);
    int port = portPart == null ? defaultPort(scheme) : parsePort(portPart);
    // Non-ASCII in path or query is percent-encoded here, as browsers do, so the request line is ASCII.
    URI ascii = URI.create(uri.toASCIIString());
    return new EgressTarget(scheme, host, port, m, RequestPath.parse(ascii.getRawPath()), ascii.getRawQuery());
  }

  /** The upper-case form of a method in {@link #METHODS}. */
  public static String normalizeMethod(String method) {
    String m = method == null || method.isEmpty() ? "GET" : method.toUpperCase(Locale.ROOT);
    if (!METHODS.contains(m)) {
      throw new IllegalArgumentException("method '" + Printable.of(method) + "' is not allowed (one of "
          + "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS)");
    }
    return m;
  }

  /** 443 for https, 80 for http. */
  public static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }

  private static int parsePort(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("invalid port '" + Printable.of(text) + "'");
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " out of range");
    }
    return port;
  }

  /** The URL rebuilt from canonical parts (what is logged and what redirects resolve against). */
  public String url() {
    String portText = port == defaultPort(scheme) ? "" : ":" + port;
    return scheme + "://" + host.uriHost() + portText + path.raw() + (rawQuery == null ? "" : "?" + rawQuery);
  }

  /** The request target for the HTTP request line: raw path and query. */
  public String requestTarget() {
    return path.raw() + (rawQuery == null ? "" : "?" + rawQuery);
  }
}
