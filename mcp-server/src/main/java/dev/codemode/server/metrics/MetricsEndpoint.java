package dev.codemode.server.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** A loopback-only HTTP server answering {@code GET /metrics} with the Prometheus text format. */
public final class MetricsEndpoint implements AutoCloseable {
  private final HttpServer server;

  private MetricsEndpoint(HttpServer server) {
    this.server = server;
  }

  /** Parses {@code HOST:PORT} (a loopback host) and starts serving {@code scrape}. */
  public static MetricsEndpoint start(String hostPort, Supplier<String> scrape) throws IOException {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--metrics takes HOST:PORT on a loopback address, e.g. 127.0.0.1:9464");
    }
    String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--metrics: '" + hostPort.substring(colon + 1) + "' is not a port");
    }
    InetAddress address = InetAddress.getByName(host);
    if (!address.isLoopbackAddress() || port < 0 || port > 65535) {
      throw new IllegalArgumentException("--metrics binds a loopback address only (127.0.0.1 or ::1), got " + hostPort);
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
    server.createContext("/", exchange -> {
      try (exchange) {
        boolean ok = "GET".equals(exchange.getRequestMethod()) && "/metrics".equals(exchange.getRequestURI().getPath());
        byte[] body = (ok ? scrape.get() : "not found\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", ok ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain");
        exchange.sendResponseHeaders(ok ? 200 : 404, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    server.start();
    return new MetricsEndpoint(server);
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
