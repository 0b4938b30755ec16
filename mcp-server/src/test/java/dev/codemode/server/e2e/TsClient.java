package dev.codemode.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Drives an MCP server through the official TypeScript SDK client (testkit/mcp-driver.mjs). */
public final class TsClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A connect includes the server's start-up (and its downstream servers'), minutes on a loaded 2-core machine. */
  private static final int CONNECT_SECONDS = 180;
  private final Process node;
  private final OutputStream stdin;
  private final Map<Integer, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final java.util.List<Path[]> serverLogs = new java.util.concurrent.CopyOnWriteArrayList<>();

  private TsClient(Process node) {
    this.node = node;
    this.stdin = node.getOutputStream();
    Thread reader = new Thread(this::readAnswers, "ts-client-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** The repository root (the folder holding testkit/). */
  public static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("testkit"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the repository root (testkit/) above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  /** Starts the driver; fails clearly when node or the testkit packages are missing. */
  public static TsClient start() throws IOException {
    Path root = repoRoot();
    if (!Files.isDirectory(root.resolve("testkit/node_modules/@modelcontextprotocol/sdk"))) {
      throw new IllegalStateException("testkit/node_modules is missing: run 'bash testkit/install.sh' (mvn verify does)");
    }
    ProcessBuilder pb = new ProcessBuilder("node", root.resolve("testkit/mcp-driver.mjs").toString())
        .directory(root.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    return new TsClient(pb.start());
  }

  /** Connects over stdio to {@code bin/codemode serve} with extra arguments. */
  public JsonNode connectStdio(String... serveArgs) throws Exception {
    return connectStdio(Map.of(), null, serveArgs);
  }

  /** Connects over stdio to {@code bin/codemode serve} with extra environment variables and arguments. */
  public JsonNode connectStdio(Map<String, String> env, String... serveArgs) throws Exception {
    return connectStdio(env, null, serveArgs);
  }

  /** Connects over stdio with extra environment variables for the server, its stderr written to {@code stderrFile} if set. */
  public JsonNode connectStdio(Map<String, String> env, Path stderrFile, String... serveArgs) throws Exception {
    ObjectNode req = JSON.createObjectNode().put("op", "connect").put("transport", "stdio")
        .put("command", repoRoot().resolve("bin/codemode").toString()).put("cwd", repoRoot().toString());
    req.putArray("args").add("serve");
    for (String a : serveArgs) {
      ((com.fasterxml.jackson.databind.node.ArrayNode) req.get("args")).add(a);
    }
    ObjectNode envNode = req.putObject("env").put("CODEMODE_NO_BUILD", "1");
    env.forEach(envNode::put);
    req.put("stderrFile", stderrOf(stderrFile).toString());
    return request(req, CONNECT_SECONDS);
  }

  /**
   * Connects client {@code name} over stdio to its own {@code bin/codemode serve}; {@code elicitation}
   * ({@code accept}, {@code decline}, {@code cancel}, {@code hang}, or null for a client without the
   * capability) is how it answers approval requests.
   */
  public JsonNode connectStdioAs(String name, String elicitation, Map<String, String> env, String... serveArgs)
      throws Exception {
    ObjectNode req = JSON.createObjectNode().put("op", "connect").put("transport", "stdio").put("client", name)
        .put("command", repoRoot().resolve("bin/codemode").toString()).put("cwd", repoRoot().toString());
    if (elicitation != null) {
      req.put("elicitation", elicitation);
    }
    var args = req.putArray("args").add("serve");
    for (String a : serveArgs) {
      args.add(a);
    }
    ObjectNode envNode = req.putObject("env").put("CODEMODE_NO_BUILD", "1");
    env.forEach(envNode::put);
    req.put("stderrFile", stderrOf(null).toString());
    return request(req, CONNECT_SECONDS);
  }

  /** Where a stdio server's stderr goes: {@code given}, or a temp file; each is checked for audit lines at close. */
  private Path stderrOf(Path given) throws IOException {
    Path file = given != null ? given : Files.createTempFile("codemode-stdio", ".log");
    serverLogs.add(new Path[] {file, given == null ? file : null});
    return file;
  }

  /** What the driver's clients were asked through elicitation, in order ({@code name}: any connected client). */
  public JsonNode elicitations(String name) throws Exception {
    return request(JSON.createObjectNode().put("op", "elicitations").put("client", name), 10).get("elicitations");
  }

  /** Connects client {@code name} over Streamable HTTP to {@code url}, sending {@code headers} on every request. */
  public JsonNode connectHttp(String name, String url, Map<String, String> headers) throws Exception {
    ObjectNode req = JSON.createObjectNode().put("op", "connect").put("transport", "http").put("url", url).put("client", name);
    headers.forEach(req.putObject("headers")::put);
    return request(req, CONNECT_SECONDS);
  }

  /** Calls {@code execute_code} as client {@code name}; answers the whole driver answer (ok, value or error, ms). */
  public CompletableFuture<JsonNode> executeAs(String name, String code, Map<String, Object> extra) throws IOException {
    ObjectNode args = JSON.createObjectNode().put("code", code);
    extra.forEach((k, v) -> args.set(k, JSON.valueToTree(v)));
    ObjectNode req = JSON.createObjectNode().put("op", "callTool").put("name", "execute_code").put("client", name);
    req.set("arguments", args);
    return send(req);
  }

  /**
   * Calls {@code execute_code} as client {@code name} asking for progress (the SDK then sends a
   * {@code progressToken}); the CallToolResult comes back with the {@code progressNotifications} received.
   */
  public JsonNode executeWithProgressAs(String name, String code) throws Exception {
    ObjectNode req = JSON.createObjectNode().put("op", "callTool").put("name", "execute_code").put("client", name)
        .put("progress", true);
    req.putObject("arguments").put("code", code);
    return unwrap(send(req).get(120, TimeUnit.SECONDS));
  }

  /** Ends client {@code name}'s HTTP session (DELETE), then closes it. */
  public void terminateClient(String name) throws Exception {
    request(JSON.createObjectNode().put("op", "terminate").put("client", name), 10);
  }

  /** Closes client {@code name}. */
  public void closeClient(String name) throws Exception {
    request(JSON.createObjectNode().put("op", "close").put("client", name), 10);
  }

  /** The processes the driver started and theirs (stdio servers, their workers), for reading their /proc entries. */
  public java.util.stream.Stream<ProcessHandle> descendants() {
    return node.toHandle().descendants();
  }

  /** Unwraps a driver answer into its value, or throws with the client's error. */
  public static JsonNode value(JsonNode answer) {
    return unwrap(answer);
  }

  public JsonNode listTools() throws Exception {
    return request(JSON.createObjectNode().put("op", "listTools"), 30);
  }

  /** Calls {@code execute_code} with {@code code} and extra arguments; returns the CallToolResult. */
  public JsonNode execute(String code, Map<String, Object> extra) throws Exception {
    return executeAsync(code, extra).get(120, TimeUnit.SECONDS);
  }

  public JsonNode execute(String code) throws Exception {
    return execute(code, Map.of());
  }

  public CompletableFuture<JsonNode> executeAsync(String code, Map<String, Object> extra) throws IOException {
    ObjectNode args = JSON.createObjectNode().put("code", code);
    extra.forEach((k, v) -> args.set(k, JSON.valueToTree(v)));
    ObjectNode req = JSON.createObjectNode().put("op", "callTool").put("name", "execute_code");
    req.set("arguments", args);
    return send(req).thenApply(TsClient::unwrap);
  }

  /** Lists the server's resources. */
  public JsonNode listResources() throws Exception {
    return request(JSON.createObjectNode().put("op", "listResources"), 30);
  }

  /** Lists the server's resource templates as client {@code name} sees them. */
  public JsonNode listResourceTemplates(String name) throws Exception {
    return request(JSON.createObjectNode().put("op", "listResourceTemplates").put("client", name), 30);
  }

  /** Lists the tools as client {@code name} sees them. */
  public JsonNode listTools(String name) throws Exception {
    return request(JSON.createObjectNode().put("op", "listTools").put("client", name), 30);
  }

  /** Reads one resource. */
  public JsonNode readResource(String uri) throws Exception {
    return readResourceAs("main", uri);
  }

  /** Reads one resource as client {@code name}; the whole driver answer (ok, value or error). */
  public JsonNode readResourceRaw(String name, String uri) throws Exception {
    return send(JSON.createObjectNode().put("op", "readResource").put("uri", uri).put("client", name)).get(30, TimeUnit.SECONDS);
  }

  /** Reads one resource as client {@code name}. */
  public JsonNode readResourceAs(String name, String uri) throws Exception {
    return unwrap(readResourceRaw(name, uri));
  }

  /** Calls {@code execute_code} with request {@code _meta}; {@code abortAfterMs} &gt; 0 makes the client cancel it. Returns the raw answer. */
  public CompletableFuture<JsonNode> executeRaw(String code, Map<String, Object> meta, long abortAfterMs) throws IOException {
    ObjectNode req = JSON.createObjectNode().put("op", "callTool").put("name", "execute_code");
    req.putObject("arguments").put("code", code);
    req.set("meta", JSON.valueToTree(meta));
    if (abortAfterMs > 0) {
      req.put("abortAfterMs", abortAfterMs);
    }
    return send(req);
  }

  /** The last round trip's client-measured milliseconds are in the answer's {@code ms}; this returns the whole answer. */
  public CompletableFuture<JsonNode> send(ObjectNode req) throws IOException {
    int id = ids.incrementAndGet();
    req.put("id", id);
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    waiting.put(id, f);
    synchronized (stdin) {
      stdin.write((req.toString() + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    }
    return f;
  }

  private JsonNode request(ObjectNode req, int seconds) throws Exception {
    return unwrap(send(req).get(seconds, TimeUnit.SECONDS));
  }

  private static JsonNode unwrap(JsonNode answer) {
    if (!answer.path("ok").asBoolean()) {
      throw new IllegalStateException("client error: " + answer.path("error").asText());
    }
    return answer.get("value");
  }

  private void readAnswers() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        JsonNode answer = JSON.readTree(line);
        CompletableFuture<JsonNode> f = waiting.remove(answer.path("id").asInt());
        if (f != null) {
          f.complete(answer);
        }
      }
    } catch (IOException e) {
      // The driver ended.
    }
    waiting.values().forEach(f -> f.completeExceptionally(new IllegalStateException("the client driver exited")));
  }

  /** Closes every client, then checks every audit line the stdio servers wrote to stderr against the audit schema. */
  @Override
  public void close() throws Exception {
    try {
      request(JSON.createObjectNode().put("op", "close"), 10);
    } catch (Exception ignored) {
      // Closing anyway.
    }
    stdin.close();
    if (!node.waitFor(10, TimeUnit.SECONDS)) {
      node.destroyForcibly();
    }
    for (Path[] log : serverLogs) {
      if (!Files.exists(log[0])) {
        continue;
      }
      String text = Files.readString(log[0], StandardCharsets.UTF_8);
      if (log[1] != null) {
        System.err.print(text); // what the server would have written to the test's stderr
        Files.deleteIfExists(log[1]);
      }
      dev.codemode.server.audit.AuditLines.checked(text);
    }
  }
}
