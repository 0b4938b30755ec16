package dev.codemode.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the stdio server answering after a line that is not a JSON-RPC message: the MCP SDK (2.1.0) stops
 * reading for good on one, and then never sees the end of input either. Such a line is answered here with
 * a JSON-RPC error (-32700 when it is not JSON, -32600 when it is JSON but no message) and not passed on;
 * every other line passes byte for byte. {@link Output} is the SDK's stdout, so an answer written here
 * never lands inside one of the SDK's messages.
 */
public final class StdioLineGuard extends LineFilterInput {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Output out;

  public StdioLineGuard(InputStream in, Output out) {
    super(in);
    this.out = out;
  }

  /** The line to pass on, or nothing when it was answered here. */
  @Override
  protected byte[] process(byte[] line) throws IOException {
    String text = new String(line, StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return new byte[0];
    }
    JsonNode msg;
    try {
      msg = JSON.readTree(text);
    } catch (IOException e) {
      out.writeLine(error(null, -32700, "Parse error: the line is not JSON (one JSON-RPC message per line)"));
      return new byte[0];
    }
    if (msg == null || !msg.isObject() || !"2.0".equals(msg.path("jsonrpc").asText())
        || !(msg.hasNonNull("method") || msg.has("result") || msg.has("error"))) {
      JsonNode id = msg != null && msg.isObject() ? msg.get("id") : null;
      out.writeLine(error(id, -32600, "Invalid Request: expected a JSON-RPC 2.0 object with \"jsonrpc\":\"2.0\" and a method"));
      return new byte[0];
    }
    return line;
  }

  private static String error(JsonNode id, int code, String message) {
    ObjectNode e = JSON.createObjectNode().put("jsonrpc", "2.0");
    if (id != null && (id.isTextual() || id.isIntegralNumber())) {
      e.set("id", id);
    } else {
      e.putNull("id");
    }
    e.putObject("error").put("code", code).put("message", message);
    return e.toString();
  }

  /** The protocol's stdout: whole lines only, whoever writes them. */
  public static final class Output extends FilterOutputStream {
    private boolean atLineStart = true;

    public Output(OutputStream out) {
      super(out);
    }

    @Override
    public synchronized void write(int b) throws IOException {
      out.write(b);
      atLineStart = b == '\n';
      if (atLineStart) {
        notifyAll();
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      if (len > 0) {
        atLineStart = b[off + len - 1] == '\n';
        if (atLineStart) {
          notifyAll();
        }
      }
    }

    @Override
    public synchronized void flush() throws IOException {
      out.flush();
    }

    /** Writes one whole line once the SDK is between two of its own. */
    synchronized void writeLine(String line) throws IOException {
      try {
        while (!atLineStart) {
          wait(1000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }
}
