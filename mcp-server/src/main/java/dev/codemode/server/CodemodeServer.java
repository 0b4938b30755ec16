package dev.codemode.server;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.server.admin.AdminServer;
import dev.codemode.server.metrics.MetricsEndpoint;
import java.io.IOException;

/**
 * The composition root: everything a server has, started here in one order whichever transport serves
 * it (stdio or Streamable HTTP), and closed in the reverse order after the transport has stopped: the
 * run pipeline (runner, broker, bridge, oversight with audit, metrics, PII, artifacts, quarantine and the
 * killswitch), the loopback metrics endpoint when {@code --metrics} asks for it, and the admin endpoint
 * when the configuration enables it. Transports add only their own MCP plumbing on top.
 */
public final class CodemodeServer implements AutoCloseable {
  private final CodemodeService service;
  private final MetricsEndpoint metrics;
  private final AdminServer admin;

  private CodemodeServer(CodemodeService service, MetricsEndpoint metrics, AdminServer admin) {
    this.service = service;
    this.metrics = metrics;
    this.admin = admin;
  }

  /**
   * Starts every part; {@code metricsAddress} ({@code HOST:PORT} on loopback) is null for no separate
   * metrics endpoint. Whatever started is closed again when a later part cannot start.
   */
  public static CodemodeServer start(CodemodeConfig config, String metricsAddress) throws IOException {
    CodemodeService service = new CodemodeService(config);
    MetricsEndpoint metrics = null;
    try {
      metrics = metricsAddress == null ? null : MetricsEndpoint.start(metricsAddress, service.oversight().metrics()::scrape);
      CodemodeServer server = new CodemodeServer(service, metrics, service.oversight().startAdmin());
      service.warmUpInBackground();
      return server;
    } catch (IOException | RuntimeException e) {
      if (metrics != null) {
        metrics.close();
      }
      service.close();
      throw e;
    }
  }

  /** The run pipeline the transports hand {@code execute_code} calls to. */
  public CodemodeService service() {
    return service;
  }

  /** Stops the endpoints, then the runs and what they use. */
  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    service.close();
  }
}
