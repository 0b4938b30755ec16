package dev.codemode.server.egress;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Test servers bound to 127.0.0.1 only: a recording HTTP server and a tripwire that counts connections. */
final class LocalServers {
  private LocalServers() {}

  /** One request as the server saw it. */
  record Seen(String method, String uri, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      List<String> values = headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
      return values == null ? null : String.join(",", values);
    }

    int headerCount(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .mapToInt(e -> e.getValue().size()).sum();
    }
  }

  /** An HttpServer on 127.0.0.1 that records every request before its handler runs. */
  static final class Recording implements AutoCloseable {
    final HttpServer server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-http");
      t.setDaemon(true);
      return t;
    });

    Recording() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
      server.setExecutor(executor);
      server.start();
    }

    Recording route(String path, HttpHandler handler) {
      server.createContext(path, exchange -> {
        byte[] body = exchange.getRequestBody().readAllBytes();
        seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
            Map.copyOf(exchange.getRequestHeaders()), body));
        handler.handle(exchange);
      });
      return this;
    }

    int port() {
      return server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  static void respond(HttpExchange exchange, int status, String body, String... headers) throws IOException {
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Accepts and immediately closes connections on 127.0.0.1, counting them. */
  static final class Tripwire implements AutoCloseable {
    final ServerSocket socket;
    final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    Tripwire() throws IOException {
      socket = new ServerSocket(0, 16, InetAddress.getByName("127.0.0.1"));
      acceptor = new Thread(() -> {
        while (!socket.isClosed()) {
          try {
            Socket s = socket.accept();
            connections.incrementAndGet();
            s.close();
          } catch (IOException closed) {
            return;
          }
        }
      }, "test-tripwire");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    /** The count once it has stopped changing for a moment (accepts race the client's failure). */
    int settledCount() throws InterruptedException {
      Thread.sleep(150);
      return connections.get();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
