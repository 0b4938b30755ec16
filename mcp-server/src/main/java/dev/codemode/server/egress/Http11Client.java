package dev.codemode.server.egress;

import dev.codemode.policies.Printable;
import dev.codemode.policies.net.DomainName;
import dev.codemode.policies.net.HostName;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal HTTP/1.1 client that talks to one already checked IP address, so no second DNS lookup can
 * happen (no rebinding), while TLS uses the original host name for SNI and certificate checks.
 *
 * <p>One request per connection ({@code Connection: close}), {@code Accept-Encoding: identity} so caps
 * count real bytes and nothing is decompressed, no proxies (a {@link SocketChannel} never uses a
 * SOCKS or HTTP proxy setting), and one hard deadline per request that closes the socket wherever the
 * exchange is (connect, handshake, write or read). A blocked exchange also ends when its thread is
 * interrupted, since a channel's socket closes on interrupt.
 */
final class Http11Client {
  private static final int MAX_LINE = 8192;
  private static final int MAX_HEADER_BYTES = 65536;
  private static final int MAX_HEADERS = 256;
  private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

  /** A response as read off the wire; header names lower case. */
  record Response(int status, String reason, Map<String, List<String>> headers, byte[] body) {}

  /** The response body went past the cap. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(long cap) {
      super("response body exceeds net.max_response_bytes (" + cap + " bytes)");
    }
  }

  /** The request took longer than its timeout. */
  static final class DeadlineException extends IOException {
    private static final long serialVersionUID = 1L;

    DeadlineException(long timeoutMs) {
      super("timed out after " + timeoutMs + " ms (net.timeout_ms)");
    }
  }

  /** The upstream proxy refused the request (CONNECT answered with something other than 2xx, or a refusal). */
  static final class ProxyRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    ProxyRefusedException(String message) {
      super(message);
    }
  }

  private final SSLSocketFactory tls;

  Http11Client(SSLSocketFactory tls) {
    this.tls = tls;
  }

  private static ScheduledThreadPoolExecutor deadlines() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "codemode-egress-deadline");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  Response exchange(InetAddress address, int port, boolean https, HostName host, byte[] head, byte[] body, String method,
      long timeoutMs, long maxResponseBytes) throws IOException {
    return exchange(address, port, null, https, host, head, body, method, timeoutMs, maxResponseBytes);
  }

  /**
   * One exchange; when {@code connect} is set, it is sent first and the tunnel it opens carries the TLS
   * session to {@code host} ({@code targetPort} is then the destination's port, used for TLS only).
   */
  Response exchange(InetAddress address, int port, byte[] connect, boolean https, HostName host, byte[] head, byte[] body,
      String method, long timeoutMs, long maxResponseBytes) throws IOException {
    SocketChannel channel = SocketChannel.open();
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
      expired.set(true);
      closeQuietly(channel);
    }, timeoutMs, TimeUnit.MILLISECONDS);
    Socket socket = channel.socket();
    try {
      socket.connect(new InetSocketAddress(address, port), (int) Math.min(Integer.MAX_VALUE, timeoutMs));
      socket.setTcpNoDelay(true);
      if (connect != null) {
        tunnel(socket, connect);
      }
      Socket stream = https ? handshake(socket, host, port) : socket;
      OutputStream out = stream.getOutputStream();
      out.write(head);
      if (body != null && body.length > 0) {
        out.write(body);
      }
      out.flush();
      return read(new BufferedInputStream(stream.getInputStream(), 8192), method, maxResponseBytes);
    } catch (IOException e) {
      if (expired.get()) {
        throw new DeadlineException(timeoutMs);
      }
      if (e instanceof SocketTimeoutException) {
        throw new DeadlineException(timeoutMs);
      }
      throw e;
    } finally {
      deadline.cancel(false);
      closeQuietly(channel);
    }
  }

  /** Sends CONNECT and reads the proxy's answer byte by byte, so nothing of the tunnel is read ahead. */
  private static void tunnel(Socket socket, byte[] connect) throws IOException {
    socket.getOutputStream().write(connect);
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    String statusLine = readLine(in, MAX_LINE, true);
    int status = status(statusLine);
    Map<String, List<String>> headers = readHeaders(in);
    if (status / 100 != 2) {
      throw new ProxyRefusedException("the upstream proxy refused CONNECT: " + status + " "
          + Printable.of(statusLine.length() > 13 ? statusLine.substring(13) : "") + " (net.upstream_proxy)");
    }
    if (headers.containsKey("content-length") || headers.containsKey("transfer-encoding")) {
      throw new IOException("the upstream proxy's answer to CONNECT has a body");
    }
  }

  private Socket handshake(Socket plain, HostName host, int port) throws IOException {
    SSLSocket ssl = (SSLSocket) tls.createSocket(plain, host.text(), port, true);
    SSLParameters params = ssl.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    if (host instanceof DomainName name) {
      try {
        params.setServerNames(List.of(new SNIHostName(name.name())));
      } catch (IllegalArgumentException notAnSniName) {
        // e.g. an underscore: no SNI, but the certificate is still checked against the name
      }
    }
    ssl.setSSLParameters(params);
    ssl.startHandshake();
    return ssl;
  }

  /** The status code of an HTTP/1.x status line, strictly parsed. */
  private static int status(String statusLine) throws IOException {
    if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
      throw new IOException("malformed HTTP status line from server");
    }
    int status;
    try {
      status = Integer.parseInt(statusLine.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new IOException("malformed HTTP status code from server");
    }
    if (status < 100 || status > 599 || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
      throw new IOException("malformed HTTP status code from server");
    }
    return status;
  }

  private static Response read(InputStream in, String method, long max) throws IOException {
    while (true) {
      String statusLine = readLine(in, MAX_LINE, true);
      int status = status(statusLine);
      String reason = statusLine.length() > 13 ? statusLine.substring(13) : "";
      Map<String, List<String>> headers = readHeaders(in);
      if (status == 101) {
        throw new IOException("server switched protocols, which fetch() does not support");
      }
      if (status < 200) {
        continue; // interim response (100, 103): the real one follows
      }
      boolean noBody = method.equals("HEAD") || status == 204 || status == 304;
      byte[] body = noBody ? new byte[0] : readBody(in, headers, max);
      headers.remove("set-cookie");
      headers.remove("set-cookie2");
      return new Response(status, reason, headers, body);
    }
  }

  private static Map<String, List<String>> readHeaders(InputStream in) throws IOException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    int total = 0;
    int count = 0;
    while (true) {
      String line = readLine(in, MAX_LINE, false);
      if (line.isEmpty()) {
        return headers;
      }
      total += line.length();
      if (++count > MAX_HEADERS || total > MAX_HEADER_BYTES) {
        throw new IOException("response headers too large");
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw new IOException("response uses obsolete header line folding");
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !dev.codemode.policies.net.HttpTokens.isToken(line.substring(0, colon))) {
        throw new IOException("malformed response header line");
      }
      String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
    }
  }

  private static byte[] readBody(InputStream in, Map<String, List<String>> headers, long max) throws IOException {
    List<String> te = headers.get("transfer-encoding");
    if (te != null) {
      String last = te.get(te.size() - 1);
      String[] codings = last.split(",");
      if (codings[codings.length - 1].strip().equalsIgnoreCase("chunked")) {
        return readChunked(in, max);
      }
      return readToEnd(in, max);
    }
    List<String> cl = headers.get("content-length");
    if (cl != null) {
      long length = contentLength(cl);
      if (length > max) {
        throw new TooLargeException(max);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(length, 1 << 16));
      readExactly(in, length, out);
      return out.toByteArray();
    }
    return readToEnd(in, max);
  }

  private static long contentLength(List<String> values) throws IOException {
    long length = -1;
    for (String value : values) {
      for (String part : value.split(",")) {
        String p = part.strip();
        if (p.isEmpty() || p.length() > 18 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
          throw new IOException("malformed Content-Length from server");
        }
        long n = Long.parseLong(p);
        if (length >= 0 && n != length) {
          throw new IOException("conflicting Content-Length values from server");
        }
        length = n;
      }
    }
    return length;
  }

  private static byte[] readChunked(InputStream in, long max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String line = readLine(in, 1024, false);
      int semi = line.indexOf(';');
      String hex = (semi >= 0 ? line.substring(0, semi) : line).strip();
      if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 0x80)) {
        throw new IOException("malformed chunk size from server");
      }
      long size = Long.parseLong(hex, 16);
      if (size == 0) {
        readHeaders(in); // trailers, discarded
        return out.toByteArray();
      }
      if (out.size() + size > max) {
        throw new TooLargeException(max);
      }
      readExactly(in, size, out);
      if (!readLine(in, 2, false).isEmpty()) {
        throw new IOException("malformed chunk from server");
      }
    }
  }

  private static void readExactly(InputStream in, long length, ByteArrayOutputStream out) throws IOException {
    byte[] buffer = new byte[8192];
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException("connection closed before the end of the response body");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  private static byte[] readToEnd(InputStream in, long max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      if (out.size() + (long) n > max) {
        throw new TooLargeException(max);
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /** One line without its CRLF (or bare LF), as Latin-1. */
  private static String readLine(InputStream in, int max, boolean first) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException(first && line.length() == 0 ? "server closed the connection without a response"
            : "connection closed in the middle of the response head");
      }
      if (b == '\n') {
        int len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r') {
          line.setLength(len - 1);
        }
        return line.toString();
      }
      if (line.length() >= max) {
        throw new IOException("response line too long");
      }
      line.append((char) b);
    }
  }

  /** The request head: request line, Host, the given headers, framing headers, blank line. */
  static byte[] head(String method, String target, String hostHeader, List<Map.Entry<String, String>> headers, byte[] body) {
    StringBuilder sb = new StringBuilder(256);
    sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    sb.append("Host: ").append(hostHeader).append("\r\n");
    boolean userAgent = false;
    for (Map.Entry<String, String> h : headers) {
      sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
      userAgent |= h.getKey().equalsIgnoreCase("user-agent");
    }
    if (!userAgent) {
      sb.append("User-Agent: codemode-egress\r\n");
    }
    boolean sendsBody = body != null && (body.length > 0 || !method.equals("GET") && !method.equals("HEAD"));
    if (sendsBody || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      sb.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
    }
    sb.append("Accept-Encoding: identity\r\n");
    sb.append("Connection: close\r\n\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing is best effort
    }
  }
}
