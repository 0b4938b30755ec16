package dev.codemode.server.egress;

import dev.codemode.policies.Printable;
import dev.codemode.policies.UpstreamProxy;
import dev.codemode.policies.net.DomainName;
import dev.codemode.policies.net.EgressTarget;
import dev.codemode.server.Secrets;
import dev.codemode.server.secrets.SecretUnavailableException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How an allowed hop leaves the host: straight to the addresses codemode checked, or through
 * {@code net.upstream_proxy} — a CONNECT tunnel for https (TLS still ends at the destination, checked
 * against its name), the absolute-form request line for http. Every check of the egress proxy runs first
 * and unchanged, including the DNS lookup and the address checks: a name that resolves to a private or
 * metadata address is refused before the proxy is contacted. The proxy is then given the host name (so
 * its own name-based policy applies) and resolves it again itself — except a name pinned by
 * {@code net.resolve}, which the proxy is given as the pinned address. Hosts under {@code no_proxy} are
 * reached directly.
 */
final class UpstreamRoute {
  private final UpstreamProxy proxy;
  private final Secrets secrets;

  private UpstreamRoute(UpstreamProxy proxy, Secrets secrets) {
    this.proxy = proxy;
    this.secrets = secrets;
  }

  /**
   * The route for {@code proxy} (null: always direct).
   *
   * @throws IllegalArgumentException when the proxy's credentials cannot be read at start
   */
  static UpstreamRoute of(UpstreamProxy proxy, Secrets secrets) {
    if (proxy != null && proxy.proxyAuthorization() != null) {
      try {
        secrets.requireAvailable(proxy.proxyAuthorization());
      } catch (SecretUnavailableException e) {
        throw new IllegalArgumentException("net.upstream_proxy.credentials: " + e.getMessage(), e);
      }
    }
    return new UpstreamRoute(proxy, secrets);
  }

  /**
   * Where one hop connects and what it sends there.
   *
   * @param addresses the addresses to connect to (the checked ones, or the proxy's)
   * @param requestTarget origin-form, or absolute-form through a proxy
   * @param proxyHeaders headers for the proxy on an http hop ({@code Proxy-Authorization})
   * @param connect the CONNECT request that opens a tunnel first, or null
   * @param via the proxy, for messages; null when direct
   */
  record Route(List<InetAddress> addresses, int port, String requestTarget, List<Map.Entry<String, String>> proxyHeaders,
      byte[] connect, String via) {}

  /**
   * The route of a hop to {@code target}, already allowed and resolved to {@code checked}; {@code pinned} is
   * the {@code net.resolve} address of its name, or null.
   */
  Route route(EgressTarget target, List<InetAddress> checked, InetAddress pinned) throws UnknownHostException {
    String host = target.host() instanceof DomainName name ? name.name() : target.host().text();
    if (proxy == null || proxy.bypasses(host)) {
      return new Route(checked, target.port(), target.requestTarget(), List.of(), null, null);
    }
    List<InetAddress> proxyAddresses = List.of(InetAddress.getAllByName(proxy.host()));
    String pinnedHost = pinned == null ? null : pinned.getHostAddress().contains(":")
        ? "[" + pinned.getHostAddress() + "]" : pinned.getHostAddress();
    String authority = (pinnedHost != null ? pinnedHost : target.host().uriHost()) + ":" + target.port();
    List<Map.Entry<String, String>> auth = new ArrayList<>();
    if (proxy.proxyAuthorization() != null) {
      auth.add(Map.entry("Proxy-Authorization", secrets.resolve(proxy.proxyAuthorization())));
    }
    if (target.scheme().equals("https")) {
      StringBuilder connect = new StringBuilder("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ").append(authority)
          .append("\r\n");
      auth.forEach(h -> connect.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
      connect.append("\r\n");
      return new Route(proxyAddresses, proxy.port(), target.requestTarget(), List.of(),
          connect.toString().getBytes(StandardCharsets.ISO_8859_1), proxy.describe());
    }
    return new Route(proxyAddresses, proxy.port(), "http://" + authority + target.requestTarget(), auth, null,
        proxy.describe());
  }

  /**
   * Whether an http hop's response is the proxy's refusal rather than the destination's answer: 407, or an
   * RFC 9209 {@code Proxy-Status} naming an error. Null when it is not.
   */
  static String refusal(Route route, Http11Client.Response response) {
    if (route.via() == null || route.connect() != null) {
      return null;
    }
    List<String> status = response.headers().get("proxy-status");
    boolean proxyError = status != null && status.stream().anyMatch(s -> s.contains("error="));
    if (response.status() == 407 || proxyError) {
      return "the upstream proxy refused the request: " + response.status() + " "
          + Printable.of(response.reason()) + " (net.upstream_proxy)";
    }
    return null;
  }
}
