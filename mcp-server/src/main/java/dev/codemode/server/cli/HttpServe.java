package dev.codemode.server.cli;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.server.CodemodeService;
import dev.codemode.server.transport.http.HttpServer;
import dev.codemode.server.transport.http.ListenAddress;
import java.io.PrintStream;

/** {@code codemode serve --http}: starts the HTTP server, installs the one shutdown hook, waits until it has stopped. */
final class HttpServe {
  private HttpServe() {}

  static int run(CodemodeConfig config, ListenAddress address, String version, PrintStream err) throws Exception {
    CodemodeService service = new CodemodeService(config);
    HttpServer server;
    try {
      server = HttpServer.start(service, address, version, err);
    } catch (IllegalArgumentException e) {
      service.close();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "codemode-shutdown"));
    service.warmUpInBackground();
    server.awaitStopped();
    return 0;
  }
}
