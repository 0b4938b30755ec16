package dev.codemode.server.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load balancer without affinity, on loopback: each request goes to the next backend in turn (headers and
 * body passed through), as a round-robin Service would send a stateless client's requests.
 */
public final class RoundRobinBalancer implements AutoCloseable {
  private static final Set<String> HOP = Set.of("host", "content-length", "connection", "transfer-encoding", "upgrade");
  private final HttpServer server;
  private final List<URI> backends;
  private final AtomicInteger next = new AtomicInteger();
  private final int[] served;
  private final HttpClient http = HttpClient.newHttpClient();

  /** Balances over {@code backends} (base URLs, e.g. {@code http://127.0.0.1:1234}). */
  public RoundRobinBalancer(List<URI> backends) throws IOException {
    this.backends = backends;
    this.served = new int[backends.size()];
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::forward);
    server.start();
  }

  /** The balancer's URL for {@code path}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** How many requests backend {@code i} got. */
  public synchronized int served(int i) {
    return served[i];
  }

  private void forward(HttpExchange ex) throws IOException {
    try (ex) {
      int i = Math.floorMod(next.getAndIncrement(), backends.size());
      synchronized (this) {
        served[i]++;
      }
      URI target = backends.get(i).resolve(ex.getRequestURI().toString());
      HttpRequest.Builder req = HttpRequest.newBuilder(target)
          .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(ex.getRequestBody().readAllBytes()));
      ex.getRequestHeaders().forEach((k, vs) -> {
        if (!HOP.contains(k.toLowerCase(java.util.Locale.ROOT))) {
          vs.forEach(v -> req.header(k, v));
        }
      });
      HttpResponse<byte[]> res;
      try {
        res = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      res.headers().map().forEach((k, vs) -> {
        if (!HOP.contains(k.toLowerCase(java.util.Locale.ROOT)) && !k.startsWith(":")) {
          ex.getResponseHeaders().put(k, vs);
        }
      });
      byte[] body = res.body();
      ex.sendResponseHeaders(res.statusCode(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
