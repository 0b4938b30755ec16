package dev.codemode.server.e2e;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A local OTLP/HTTP traces receiver on 127.0.0.1: decodes each {@code POST /v1/traces} with the protocol's
 * own protobuf classes and keeps the spans.
 */
final class OtlpReceiver implements AutoCloseable {
  private final HttpServer server;
  private final List<Span> spans = new CopyOnWriteArrayList<>();
  private final List<String> serviceNames = new CopyOnWriteArrayList<>();

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/traces", exchange -> {
      try (exchange; InputStream in = exchange.getRequestBody()) {
        boolean ok = "POST".equals(exchange.getRequestMethod())
            && "application/x-protobuf".equals(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (!ok) {
          exchange.sendResponseHeaders(415, -1);
          return;
        }
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in);
        for (ResourceSpans rs : request.getResourceSpansList()) {
          rs.getResource().getAttributesList().stream().filter(a -> a.getKey().equals("service.name"))
              .forEach(a -> serviceNames.add(a.getValue().getStringValue()));
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            spans.addAll(ss.getSpansList());
          }
        }
        byte[] body = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
          exchange.getResponseBody().write(body);
        }
      }
    });
    server.start();
  }

  /** The base URL to configure as {@code telemetry.otlp_endpoint}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Waits until {@code count} received spans match {@code filter}; answers every match so far. */
  List<Span> await(Predicate<Span> filter, int count, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Span> found = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      found = spans.stream().filter(filter).toList();
      if (found.size() >= count) {
        return found;
      }
      Thread.sleep(50);
    }
    return found;
  }

  List<String> serviceNames() {
    return serviceNames;
  }

  static String hex(com.google.protobuf.ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  static String attribute(Span span, String key) {
    return span.getAttributesList().stream().filter(a -> a.getKey().equals(key)).map(a -> a.getValue().hasIntValue()
        ? String.valueOf(a.getValue().getIntValue()) : a.getValue().getStringValue()).findFirst().orElse(null);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
