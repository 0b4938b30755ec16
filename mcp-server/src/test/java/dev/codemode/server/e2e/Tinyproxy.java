package dev.codemode.server.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Debian's tinyproxy as a forward proxy on 127.0.0.1, in the foreground, logging every request it forwards. */
public final class Tinyproxy implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int port;

  private Tinyproxy(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts it under {@code dir}; {@code basicAuth} is {@code "user password"} or null for none. */
  public static Tinyproxy start(Path dir, String basicAuth) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path log = dir.resolve("tinyproxy.log");
    Path conf = Files.writeString(dir.resolve("tinyproxy.conf"), """
        Port %d
        Listen 127.0.0.1
        Timeout 30
        LogFile "%s"
        LogLevel Info
        MaxClients 20
        Allow 127.0.0.1
        %s
        """.formatted(port, log, basicAuth == null ? "" : "BasicAuth " + basicAuth));
    Path out = dir.resolve("tinyproxy.out");
    Process p = new ProcessBuilder("tinyproxy", "-d", "-c", conf.toString()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(log) || !Files.readString(log).contains("listening on fd")) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException("tinyproxy did not start: " + Files.readString(out));
      }
      Thread.sleep(50);
    }
    return new Tinyproxy(p, log, port);
  }

  public int port() {
    return port;
  }

  /** What it has logged so far. */
  public String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
