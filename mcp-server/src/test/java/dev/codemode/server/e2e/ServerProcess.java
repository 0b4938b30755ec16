package dev.codemode.server.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code bin/codemode serve --http 127.0.0.1:0} as a subprocess; knows its URL; stops it with SIGTERM. */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern URL = Pattern.compile("serving MCP over Streamable HTTP.* at (http://\\S+)");
  private final Process process;
  private final String url;
  private final List<String> log;

  private ServerProcess(Process process, CompletableFuture<String> url, List<String> log) throws Exception {
    this.process = process;
    this.log = log;
    try {
      this.url = url.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("the server did not start: " + String.join("\n", log), e);
    }
  }

  /** Starts the server with {@code config} on a free loopback port. */
  public static ServerProcess start(Path config) throws Exception {
    return start("127.0.0.1:0", config);
  }

  /** Starts the server listening on {@code address} with {@code config} (null for the embedded default). */
  public static ServerProcess start(String address, Path config) throws Exception {
    Path root = TsClient.repoRoot();
    List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/codemode").toString(), "serve", "--http", address));
    if (config != null) {
      cmd.add("--config");
      cmd.add(config.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("CODEMODE_NO_BUILD", "1");
    Process p = pb.start();
    CompletableFuture<String> url = new CompletableFuture<>();
    List<String> early = Collections.synchronizedList(new ArrayList<>());
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          early.add(line);
          Matcher m = URL.matcher(line);
          if (m.find()) {
            url.complete(m.group(1));
          }
        }
      } catch (IOException e) {
        // The process ended.
      }
      url.completeExceptionally(new IllegalStateException("the server exited: " + String.join("\n", early)));
    }, "server-stderr");
    reader.setDaemon(true);
    reader.start();
    return new ServerProcess(p, url, early);
  }

  /** Starts the server expecting it to refuse to start; returns its exit code and stderr. */
  public static String[] startExpectingFailure(String address, Path config) throws Exception {
    Path root = TsClient.repoRoot();
    List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/codemode").toString(), "serve", "--http", address));
    if (config != null) {
      cmd.add("--config");
      cmd.add(config.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("CODEMODE_NO_BUILD", "1");
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("the server did not exit: " + err);
    }
    return new String[] {String.valueOf(p.exitValue()), err};
  }

  /** The MCP endpoint URL, e.g. {@code http://127.0.0.1:41234/mcp}. */
  public String url() {
    return url;
  }

  /** The server's base URL, without {@code /mcp}. */
  public String base() {
    return url.substring(0, url.length() - "/mcp".length());
  }

  /** Sends SIGTERM and waits for the exit code (the ordered shutdown runs in the server). */
  public int terminate(long seconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      return -1;
    }
    return process.exitValue();
  }

  /** What the server has written to stderr so far. */
  public String log() {
    synchronized (log) {
      return String.join("\n", log);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      terminate(60);
    }
  }
}
