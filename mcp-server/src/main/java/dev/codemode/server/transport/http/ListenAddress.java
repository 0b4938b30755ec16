package dev.codemode.server.transport.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where {@code serve --http} listens: {@code HOST:PORT}, {@code [IPv6]:PORT}, or {@code PORT} alone
 * (host 127.0.0.1). Port 0 picks a free port.
 */
public record ListenAddress(String host, int port) {
  /** The host used when only a port is given. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Parses the {@code --http} value. */
  public static ListenAddress parse(String value) {
    String v = value.trim();
    String host;
    String port;
    if (v.startsWith("[")) {
      int close = v.indexOf("]:");
      if (close < 0) {
        throw new IllegalArgumentException("--http: write an IPv6 address as [ADDR]:PORT (got '" + value + "')");
      }
      host = v.substring(1, close);
      port = v.substring(close + 2);
    } else if (v.indexOf(':') < 0) {
      host = DEFAULT_HOST;
      port = v;
    } else {
      int colon = v.lastIndexOf(':');
      host = colon == 0 ? DEFAULT_HOST : v.substring(0, colon);
      port = v.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw new IllegalArgumentException("--http: write an IPv6 address as [ADDR]:PORT (got '" + value + "')");
      }
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--http: '" + port + "' is not a port number (HOST:PORT)");
    }
    if (p < 0 || p > 65535 || host.isEmpty()) {
      throw new IllegalArgumentException("--http: expected HOST:PORT with a port from 0 to 65535 (got '" + value + "')");
    }
    return new ListenAddress(host, p);
  }

  /** Whether every address the host name resolves to is a loopback address. */
  public boolean isLoopback() {
    try {
      InetAddress[] all = InetAddress.getAllByName(host);
      for (InetAddress a : all) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return all.length > 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
