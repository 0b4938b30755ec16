package dev.codemode.server.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP listener on 127.0.0.1 that records when each connection arrives (test JVM's {@code nanoTime})
 * and answers every request {@code 200 ok} after {@code delayMs}, so requests stay in flight a while;
 * a request for {@code /big} gets {@value #BIG_BYTES} bytes at once.
 */
final class ArrivalListener implements AutoCloseable {
  private final ServerSocket socket;
  private final List<Long> arrivals = new CopyOnWriteArrayList<>();
  private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "arrival-handler");
    t.setDaemon(true);
    return t;
  });
  private final long delayMs;
  static final int BIG_BYTES = 2 << 20;
  private static final byte[] BIG = big();

  private static byte[] big() {
    byte[] head = ("HTTP/1.1 200 OK\r\nContent-Length: " + BIG_BYTES + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] all = java.util.Arrays.copyOf(head, head.length + BIG_BYTES);
    java.util.Arrays.fill(all, head.length, all.length, (byte) 'x');
    return all;
  }

  ArrivalListener(long delayMs) throws IOException {
    this.delayMs = delayMs;
    this.socket = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "arrival-listener");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        arrivals.add(System.nanoTime());
        handlers.execute(() -> answer(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void answer(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      int n = in.read(buf); // the request head (GET, no body)
      OutputStream out = s.getOutputStream();
      if (n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("GET /big")) {
        out.write(BIG);
        out.flush();
        return;
      }
      Thread.sleep(delayMs);
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException | InterruptedException e) {
      // The client went away (a cancelled request): nothing to answer.
    }
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Arrival times so far. */
  List<Long> arrivals() {
    return List.copyOf(arrivals);
  }

  /** How many connections arrived after {@code nanoTime}. */
  long arrivedAfter(long nanoTime) {
    return arrivals.stream().filter(t -> t > nanoTime).count();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    handlers.shutdownNow();
  }
}
