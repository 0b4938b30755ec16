package dev.codemode.policies;

import dev.codemode.policies.secrets.SecretTemplate;
import java.util.List;
import java.util.Locale;

/**
 * The forward proxy allowed egress goes through after codemode's own checks ({@code net.upstream_proxy}).
 *
 * @param scheme {@code http} (the only one: a TLS destination is tunnelled with CONNECT)
 * @param host the proxy's host name or IP address
 * @param proxyAuthorization the {@code Proxy-Authorization} value (e.g. {@code 'Basic ${file:/run/proxy}'}), or null
 * @param noProxy hosts reached directly: an exact name, or {@code .suffix} for the name and every name under it
 */
public record UpstreamProxy(String scheme, String host, int port, SecretTemplate proxyAuthorization, List<String> noProxy) {
  public UpstreamProxy {
    noProxy = noProxy.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  /** Whether {@code host} (canonical, lower case) bypasses the proxy. */
  public boolean bypasses(String host) {
    for (String entry : noProxy) {
      if (entry.startsWith(".") ? host.equals(entry.substring(1)) || host.endsWith(entry) : host.equals(entry)) {
        return true;
      }
    }
    return false;
  }

  /** {@code http://host:port}, for messages (never the credentials). */
  public String describe() {
    return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
