package dev.codemode.server.transport.http;

import dev.codemode.policies.AuthSettings;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.HttpSettings;
import dev.codemode.policies.Profile;
import dev.codemode.server.CodemodeService;
import dev.codemode.server.admission.AdmissionGate;
import dev.codemode.server.admission.RateLimiter;
import dev.codemode.server.auth.BearerAuthenticator;
import dev.codemode.server.auth.ResourceMetadata;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve --http}: Jetty 12 (ee11) with {@code /healthz} and {@code /readyz} answered first (no auth),
 * then the MCP servlet at {@code /mcp} behind the filters, in order: safe error bodies, drain,
 * Host/Origin/header-size guard, bearer auth, body size, session ownership; {@code /metrics} is behind the
 * same bearer auth as {@code /mcp}. One ordered shutdown: turn readiness false, refuse new requests (503)
 * while the ones in flight finish within the grace period, close the listener and MCP, stop Jetty, close the
 * composition root (admin and metrics endpoints, then the runner and what runs use).
 */
public final class HttpServer {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
  private final Server jetty;
  private final ServerConnector connector;
  private final DrainFilter drain;
  private final McpEndpoint endpoint;
  private final CodemodeService service;
  private final long graceMs;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private HttpServer(Server jetty, ServerConnector connector, DrainFilter drain, McpEndpoint endpoint,
      CodemodeService service, long graceMs) {
    this.jetty = jetty;
    this.connector = connector;
    this.drain = drain;
    this.endpoint = endpoint;
    this.service = service;
    this.graceMs = graceMs;
  }

  /**
   * Checks the exposure rules, then starts listening.
   *
   * @throws IllegalArgumentException when the address and the auth settings do not go together
   */
  public static HttpServer start(CodemodeService service, ListenAddress address, String version, PrintStream notices)
      throws Exception {
    CodemodeConfig cfg = service.config();
    HttpSettings http = cfg.http();
    AuthSettings auth = cfg.auth();
    RequestGuard guard = checkExposure(cfg, address);
    BearerAuthenticator authenticator = new BearerAuthenticator(auth);
    ResourceMetadata metadata = auth.oauth() == null ? null : new ResourceMetadata(auth.oauth());
    AdmissionGate gate = new AdmissionGate(cfg.runtime().maxConcurrentRuns(), cfg.runtime().queueCapacity());
    HttpToolHandler handler = new HttpToolHandler(service, gate, new RateLimiter(http.rateLimit(), service.oversight().state()));
    McpEndpoint endpoint = McpEndpoint.create(service, http, handler, version);

    QueuedThreadPool threads = new QueuedThreadPool(Math.max(200, gate.capacity() + 64), 4, 60_000);
    threads.setName("codemode-http");
    Server jetty = new Server(threads);
    HttpConfiguration hc = new HttpConfiguration();
    hc.setSendServerVersion(false);
    hc.setSendXPoweredBy(false);
    hc.setRequestHeaderSize(Math.max(8192, http.maxHeaderBytes() * 2));
    ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(hc));
    connector.setHost(address.host());
    connector.setPort(address.port());
    connector.setIdleTimeout(idleTimeoutMs(cfg));
    jetty.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.setContextPath("/");
    ServletHolder mcp = new ServletHolder("mcp", endpoint.servlet());
    mcp.setAsyncSupported(true);
    context.addServlet(mcp, McpEndpoint.PATH);
    context.addServlet(new ServletHolder("metrics", new MetricsServlet(service.oversight().metrics()::scrape)),
        MetricsServlet.PATH);
    if (metadata != null) {
      for (String path : metadata.servedPaths()) {
        context.addServlet(new ServletHolder(new MetadataServlet(metadata)), path);
      }
    }
    DrainFilter drain = new DrainFilter();
    filter(context, new SafeErrorFilter(), "/*");
    filter(context, drain, "/*");
    filter(context, new GuardFilter(guard, http.maxHeaderBytes()), "/*");
    filter(context, new AuthFilter(authenticator, metadata == null ? null : metadata.url(),
        metadata == null ? null : metadata.requiredScopes()), McpEndpoint.PATH);
    filter(context, new AuthFilter(authenticator, metadata == null ? null : metadata.url(),
        metadata == null ? null : metadata.requiredScopes()), MetricsServlet.PATH);
    filter(context, new BodyLimitFilter(http.maxRequestBytes()), McpEndpoint.PATH);
    if (!http.stateless()) {
      filter(context, new SessionOwnerFilter(service.oversight()::sessionEnded), McpEndpoint.PATH);
    }
    context.setErrorHandler(new JsonErrorHandler());
    jetty.setErrorHandler(new JsonErrorHandler());
    SizeLimitHandler sizeLimit = new SizeLimitHandler(http.maxRequestBytes(), -1);
    sizeLimit.setHandler(new HealthHandler(service::readiness, context));
    jetty.setHandler(sizeLimit);
    jetty.setStopTimeout(5_000);
    jetty.setStopAtShutdown(false);
    try {
      jetty.start();
    } catch (Exception e) {
      endpoint.close();
      throw new IllegalArgumentException("cannot listen on " + address + ": " + e.getMessage(), e);
    }
    HttpServer server = new HttpServer(jetty, connector, drain, endpoint, service, http.shutdownGraceMs());
    String url = "http://" + (address.host().indexOf(':') >= 0 ? "[" + address.host() + "]" : address.host()) + ":"
        + server.port() + McpEndpoint.PATH;
    notices.println("codemode " + version + ": serving MCP over Streamable HTTP" + (http.stateless() ? " (stateless)" : "")
        + " at " + url);
    if (auth.enabled()) {
      notices.println("codemode: auth required: " + auth.tokens().size() + " bearer token principal(s)"
          + (auth.oauth() == null ? "" : "; OAuth access tokens from " + auth.oauth().issuer()));
    } else {
      notices.println("codemode: no auth configured: serving on loopback only (" + address.host() + "); anyone on this "
          + "machine can call it. Configure auth: to require tokens.");
    }
    return server;
  }

  /**
   * The exposure rules, checked before anything starts: no auth binds loopback only, and a public address
   * needs host names clients use. Answers the request guard.
   *
   * @throws IllegalArgumentException when the address and the settings do not go together
   */
  public static RequestGuard checkExposure(CodemodeConfig cfg, ListenAddress address) {
    RequestGuard guard = new RequestGuard(cfg.http());
    boolean loopback = address.isLoopback();
    if (!cfg.auth().enabled() && !loopback) {
      throw new IllegalArgumentException("refusing to serve on " + address + " without auth: with no auth configured the "
          + "server listens only on a loopback address (127.0.0.1, ::1, localhost); configure auth.tokens or auth.oauth to bind "
          + address.host());
    }
    if (!loopback && guard.loopbackHostsOnly()) {
      throw new IllegalArgumentException("serving on " + address + " but http.allowed_hosts accepts only loopback names, "
          + "so every client would be refused: list the host names clients use in http.allowed_hosts (or '*')");
    }
    return guard;
  }

  private static void filter(ServletContextHandler context, Filter filter, String path) {
    FilterHolder holder = new FilterHolder(filter);
    holder.setAsyncSupported(true);
    context.addFilter(holder, path, EnumSet.of(DispatcherType.REQUEST));
  }

  /** Long enough for the slowest run's answer: the largest wall budget of any profile plus a minute. */
  private static long idleTimeoutMs(CodemodeConfig cfg) {
    long wall = cfg.profiles().values().stream().mapToLong((Profile p) -> p.proc().wallMs()).max().orElse(30_000);
    return Math.max(120_000, wall + 60_000);
  }

  /** The port listened on (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** Shuts down once, in order; later calls wait for the first to finish. Never throws. */
  public void shutdown() {
    if (!stopping.compareAndSet(false, true)) {
      awaitStopped();
      return;
    }
    try {
      service.drainStarted();
      // Readiness first: while the requests in flight finish, /readyz answers 503 and new requests get 503
      // with Retry-After (a load balancer still routing here sees why), then the listener closes.
      LOG.info("shutting down: not ready; refusing new requests, waiting up to {} ms for requests in flight", graceMs);
      int left = drain.drain(graceMs);
      if (left > 0) {
        LOG.warn("{} request(s) still in flight after the grace period; ending them", left);
      }
      try {
        connector.close();
      } catch (RuntimeException e) {
        LOG.debug("closing the listener", e);
      }
      step("closing MCP sessions", endpoint::close);
      step("stopping Jetty", () -> {
        try {
          jetty.stop();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      step("closing the admin and metrics endpoints and the runner", service::close);
      LOG.info("shut down");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped.countDown();
    }
  }

  private static void step(String what, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("shutdown: {} failed: {}", what, e.toString());
    }
  }

  /** Blocks until {@link #shutdown()} has finished. */
  public void awaitStopped() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
