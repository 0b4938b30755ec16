package dev.codemode.server.transport.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.server.health.Readiness;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /healthz} (the process answers) and {@code GET /readyz} ({@link Readiness}: 200 when ready,
 * 503 when not), ahead of the servlet chain: no auth and no Host check, because kubelet probes carry
 * neither a token nor a configured host name; they reveal nothing but these few fields. Every other
 * path goes on to the chain.
 */
final class HealthHandler extends Handler.Wrapper {
  static final String HEALTH = "/healthz";
  static final String READY = "/readyz";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Supplier<Readiness> readiness;

  HealthHandler(Supplier<Readiness> readiness, Handler next) {
    super(next);
    this.readiness = readiness;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (!path.equals(HEALTH) && !path.equals(READY)) {
      return super.handle(request, response, callback);
    }
    String method = request.getMethod();
    if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      write(response, callback, 405, Map.of("error", "method not allowed"), method);
      return true;
    }
    if (path.equals(HEALTH)) {
      write(response, callback, 200, Map.of("status", "alive"), method);
    } else {
      Readiness r = readiness.get();
      write(response, callback, r.ready() ? 200 : 503, r.body(), method);
    }
    return true;
  }

  private static void write(Response response, Callback callback, int status, Map<String, Object> body, String method)
      throws Exception {
    byte[] bytes = JSON.writeValueAsBytes(body);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, HttpMethod.HEAD.is(method) ? null : ByteBuffer.wrap(bytes), callback);
  }
}
