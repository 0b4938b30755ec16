package dev.codemode.server.transport.http;

import dev.codemode.policies.HttpSettings;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Origin and Host checks against DNS rebinding and cross-site calls: exact matches only. A request
 * with no {@code Origin} is not from a browser page and passes the origin check.
 */
public final class RequestGuard {
  private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
  private final List<String> origins;
  private final List<String> hosts;

  public RequestGuard(HttpSettings settings) {
    this.origins = settings.allowedOrigins();
    this.hosts = settings.allowedHosts();
  }

  /** Whether the {@code Origin} header value (null when absent) is allowed. */
  public boolean originAllowed(String origin) {
    if (origin == null) {
      return true;
    }
    if (origins.contains(origin)) {
      return true;
    }
    return origins.contains(HttpSettings.LOOPBACK) && isLoopbackOrigin(origin);
  }

  /** Whether the {@code Host} header value (with or without a port) is allowed. */
  public boolean hostAllowed(String hostHeader) {
    if (hosts.contains("*")) {
      return true;
    }
    if (hostHeader == null || hostHeader.isEmpty()) {
      return false;
    }
    String name = hostName(hostHeader.toLowerCase(Locale.ROOT));
    if (name == null) {
      return false;
    }
    return hosts.contains(name) || (hosts.contains(HttpSettings.LOOPBACK) && LOOPBACK_HOSTS.contains(name));
  }

  /** Whether only loopback host names are accepted (a start-up check for non-loopback binds). */
  public boolean loopbackHostsOnly() {
    return hosts.stream().allMatch(HttpSettings.LOOPBACK::equals);
  }

  static boolean isLoopbackOrigin(String origin) {
    if (!origin.startsWith("http://") && !origin.startsWith("https://")) {
      return false;
    }
    try {
      URI u = new URI(origin);
      if (u.getRawPath() != null && !u.getRawPath().isEmpty() || u.getRawQuery() != null || u.getRawUserInfo() != null
          || u.getRawFragment() != null) {
        return false;
      }
      String h = u.getHost();
      return h != null && LOOPBACK_HOSTS.contains(h.toLowerCase(Locale.ROOT));
    } catch (Exception e) {
      return false;
    }
  }

  /** The host part of a Host header ({@code name[:port]} or {@code [v6][:port]}), or null if malformed. */
  static String hostName(String header) {
    String name;
    String port = null;
    if (header.startsWith("[")) {
      int close = header.indexOf(']');
      if (close < 0) {
        return null;
      }
      name = header.substring(0, close + 1);
      if (close + 1 < header.length()) {
        if (header.charAt(close + 1) != ':') {
          return null;
        }
        port = header.substring(close + 2);
      }
    } else {
      int colon = header.indexOf(':');
      name = colon < 0 ? header : header.substring(0, colon);
      port = colon < 0 ? null : header.substring(colon + 1);
    }
    if (port != null && !port.matches("[0-9]{1,5}")) {
      return null;
    }
    return name.isEmpty() ? null : name;
  }
}
