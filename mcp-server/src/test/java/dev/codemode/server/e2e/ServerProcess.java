package dev.codemode.server.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/codemode serve --http 127.0.0.1:0} as a subprocess, its stderr in a file; knows its URL;
 * stops it with SIGTERM.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern URL = Pattern.compile("serving MCP over Streamable HTTP.* at (http://\\S+)");
  private final Process process;
  private final Path logFile;
  private final String url;

  private ServerProcess(Process process, Path logFile) throws Exception {
    this.process = process;
    this.logFile = logFile;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    String found = null;
    while (found == null && System.nanoTime() < deadline) {
      Matcher m = URL.matcher(log());
      if (m.find()) {
        found = m.group(1);
      } else if (!process.isAlive()) {
        break;
      } else {
        Thread.sleep(100);
      }
    }
    if (found == null) {
      process.destroyForcibly();
      throw new IllegalStateException("the server did not start: " + log());
    }
    this.url = found;
  }

  private static Process launch(String address, Path config, Path logFile, String... extra) throws IOException {
    return launch(address, config, logFile, java.util.Map.of(), extra);
  }

  private static Process launch(String address, Path config, Path logFile, java.util.Map<String, String> env,
      String... extra) throws IOException {
    Path root = TsClient.repoRoot();
    List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/codemode").toString(), "serve", "--http", address));
    if (config != null) {
      cmd.add("--config");
      cmd.add(config.toString());
    }
    cmd.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(logFile.toFile());
    pb.environment().put("CODEMODE_NO_BUILD", "1");
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Starts the server with {@code config} on a free loopback port. */
  public static ServerProcess start(Path config) throws Exception {
    return start("127.0.0.1:0", config);
  }

  /** Starts the server with {@code config} on a free loopback port, with extra environment variables. */
  public static ServerProcess start(Path config, java.util.Map<String, String> env) throws Exception {
    Path logFile = Files.createTempFile("codemode-server", ".log");
    return new ServerProcess(launch("127.0.0.1:0", config, logFile, env), logFile);
  }

  /** Starts the server listening on {@code address} with {@code config} (null for the embedded default) and {@code extra} arguments. */
  public static ServerProcess start(String address, Path config, String... extra) throws Exception {
    Path logFile = Files.createTempFile("codemode-server", ".log");
    return new ServerProcess(launch(address, config, logFile, extra), logFile);
  }

  /** Starts the server expecting it to refuse to start; returns its exit code and stderr. */
  public static String[] startExpectingFailure(String address, Path config) throws Exception {
    Path logFile = Files.createTempFile("codemode-server", ".log");
    Process p = launch(address, config, logFile);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("the server did not exit: " + Files.readString(logFile));
    }
    return new String[] {String.valueOf(p.exitValue()), Files.readString(logFile, StandardCharsets.UTF_8)};
  }

  /** The MCP endpoint URL, e.g. {@code http://127.0.0.1:41234/mcp}. */
  public String url() {
    return url;
  }

  /** The server's base URL, without {@code /mcp}. */
  public String base() {
    return url.substring(0, url.length() - "/mcp".length());
  }

  /** What the server has written to stderr so far. */
  public String log() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Sends SIGTERM and waits for the exit code (the ordered shutdown runs in the server); -1 if it had to be killed. */
  public int terminate(long seconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      return -1;
    }
    return process.exitValue();
  }

  /** The server process's id (for reading its /proc entries). */
  public long pid() {
    return process.pid();
  }

  /** The server's live thread count, from {@code /proc/<pid>/status}. */
  public int threads() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("Threads:")) {
        return Integer.parseInt(line.substring("Threads:".length()).trim());
      }
    }
    throw new IOException("no Threads line for pid " + process.pid());
  }

  /** Sends SIGTERM and returns at once (the ordered shutdown starts in the server). */
  public void signalTerm() {
    process.destroy();
  }

  /** Waits up to {@code seconds} for the exit; its code, or -1 if it is still running. */
  public int awaitExit(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the server, then checks every audit line it wrote to stderr against the audit schema. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      terminate(60);
    }
    dev.codemode.server.audit.AuditLines.checked(log());
  }
}
