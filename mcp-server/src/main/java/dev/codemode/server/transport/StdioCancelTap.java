package dev.codemode.server.transport;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.server.audit.RunCaller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads the stdio JSON-RPC stream line by line on its way to the MCP SDK, which (2.1.0) has no hook for
 * {@code notifications/cancelled}. A {@code tools/call} request gets its JSON-RPC id written into
 * {@code params._meta["dev.codemode/request-id"]} (overwriting any value the client put there), so the tool
 * handler knows which request it answers; a cancellation notification is passed to {@code onCancel} with
 * the cancelled id. Every other line passes through byte for byte.
 */
public final class StdioCancelTap extends InputStream {
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private final InputStream in;
  private final Consumer<String> onCancel;
  private final Runnable onEof;
  private byte[] pending = new byte[0];
  private int pos;
  private boolean eof;

  /**
   * {@code onCancel} receives the cancelled request's id as JSON text ({@code 7} or {@code "abc"});
   * {@code onEof} runs when the stream has ended (the SDK alone would linger after it).
   */
  public StdioCancelTap(InputStream in, Consumer<String> onCancel, Runnable onEof) {
    // Lines are read a byte at a time: without a buffer each byte would be a read(2) on stdin.
    this.in = new java.io.BufferedInputStream(in, 1 << 16);
    this.onCancel = onCancel;
    this.onEof = onEof;
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return pending[pos++] & 0xff;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, pending.length - pos);
    System.arraycopy(pending, pos, buf, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() {
    return pending.length - pos;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private boolean fill() throws IOException {
    while (pos >= pending.length) {
      if (eof) {
        onEof.run();
        return false;
      }
      ByteArrayOutputStream line = new ByteArrayOutputStream(256);
      int b;
      while ((b = in.read()) >= 0) {
        line.write(b);
        if (b == '\n') {
          break;
        }
      }
      if (b < 0) {
        eof = true;
      }
      pending = process(line.toByteArray());
      pos = 0;
    }
    return true;
  }

  /** The line to pass on; notes cancellations and tags tool calls. */
  byte[] process(byte[] line) {
    String text = new String(line, StandardCharsets.UTF_8);
    boolean call = text.contains("tools/call");
    boolean cancel = text.contains("notifications/cancelled");
    if (!call && !cancel) {
      return line;
    }
    JsonNode msg;
    try {
      msg = JSON.readTree(text);
    } catch (IOException e) {
      return line;
    }
    if (msg == null || !msg.isObject()) {
      return line;
    }
    String method = msg.path("method").asText("");
    if (method.equals("notifications/cancelled")) {
      JsonNode id = msg.path("params").get("requestId");
      if (id != null && (id.isTextual() || id.isIntegralNumber())) {
        try {
          onCancel.accept(id.toString());
        } catch (RuntimeException e) {
          // The notification still reaches the SDK; a failed cancel must not break the stream.
        }
      }
      return line;
    }
    JsonNode id = msg.get("id");
    if (!method.equals("tools/call") || id == null || !(id.isTextual() || id.isIntegralNumber()) || !msg.path("params").isObject()) {
      return line;
    }
    ObjectNode params = (ObjectNode) msg.get("params");
    JsonNode meta = params.get("_meta");
    ObjectNode m = meta instanceof ObjectNode o ? o : params.putObject("_meta");
    m.put(RunCaller.REQUEST_ID_META, id.toString());
    boolean newline = line.length > 0 && line[line.length - 1] == '\n';
    return (msg.toString() + (newline ? "\n" : "")).getBytes(StandardCharsets.UTF_8);
  }
}
