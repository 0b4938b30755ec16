package dev.codemode.server.broker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.policies.ServerSpec;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.codemode.policies.secrets.SecretTemplate;
import dev.codemode.server.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the MCP client transport of one configured server, resolving {@code ${env:NAME}} in env values
 * on the host at start, and header values for every request (a rotated file, a command's new output or a
 * refreshed OAuth token is sent without a restart). A stdio server gets only a minimal inherited environment plus its configured
 * {@code env} (codemode's own environment, which may hold secrets, is not passed on), and its stderr goes
 * to codemode's log (stderr), redacted — never to codemode's stdout.
 */
public final class DownstreamTransports {
  private static final McpJsonMapper MAPPER = new JacksonMcpJsonMapper(new ObjectMapper());
  private static final int MAX_MESSAGE_CHARS = 16 * 1024 * 1024;
  private final Secrets secrets;

  public DownstreamTransports(Secrets secrets) {
    this.secrets = secrets;
  }

  /** A transport, the redactor for the secrets it was built with, and its process's last stderr lines (stdio only). */
  public record Built(McpClientTransport transport, Redactor redactor, StderrTail stderr) {
    /** Whether the transport runs a local process (and so can crash and be watched). */
    public boolean isStdio() {
      return transport instanceof StdioProcessTransport;
    }
  }

  /** A fresh transport for {@code spec}; throws {@link IllegalStateException} naming a missing variable. */
  public Built create(ServerSpec spec) {
    return spec.isStdio() ? stdio(spec) : http(spec);
  }

  private Built stdio(ServerSpec spec) {
    Map<String, String> env = new LinkedHashMap<>();
    List<String> secretValues = new ArrayList<>();
    spec.env().forEach((k, v) -> env.put(k, resolve(v, secretValues)));
    Redactor redactor = new Redactor(secretValues);
    // A relative path to the program (./server.sh) is relative to the config file, like everything else in it.
    String command = spec.command().contains("/") && spec.workingDir() != null
        ? spec.workingDir().resolve(spec.command()).normalize().toString() : spec.command();
    requireCommand(command, env.getOrDefault("PATH", System.getenv("PATH")));
    // ServerParameters adds its small default set (HOME, PATH, USER…) under the configured values; nothing
    // else of codemode's environment, which may hold secrets, reaches the child.
    ServerParameters params = ServerParameters.builder(command).args(spec.args()).env(env).build();
    List<String> argv = new ArrayList<>();
    argv.add(command);
    argv.addAll(spec.args());
    Logger log = LoggerFactory.getLogger("dev.codemode.downstream." + spec.name());
    StderrTail tail = new StderrTail();
    StdioProcessTransport t = new StdioProcessTransport(spec.name(), argv, params.getEnv(), spec.workingDir(),
        MAPPER, MAX_MESSAGE_CHARS, line -> {
          String redacted = redactor.apply(line);
          tail.add(redacted);
          log.debug("stderr: {}", redacted);
        });
    return new Built(t, redactor, tail);
  }

  private Built http(ServerSpec spec) {
    Map<String, SecretTemplate> headers = spec.headers();
    headers.values().forEach(secrets::requireAvailable);
    URI uri = URI.create(spec.url());
    String base = uri.getScheme() + "://" + uri.getRawAuthority();
    String endpoint = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    HttpClientStreamableHttpTransport t = HttpClientStreamableHttpTransport.builder(base)
        .endpoint(endpoint)
        .jsonMapper(MAPPER)
        .connectTimeout(Duration.ofSeconds(10))
        .httpRequestCustomizer((builder, method, target, body, context) ->
            headers.forEach((name, value) -> builder.setHeader(name, secrets.resolve(value))))
        .build();
    return new Built(t, new Redactor(secrets.values()), new StderrTail());
  }

  /** Fails at once, naming the command, when it is not an executable file (a path) or not on {@code PATH}. */
  static void requireCommand(String command, String path) {
    if (command.contains("/")) {
      if (!Files.isExecutable(Path.of(command))) {
        throw new IllegalStateException("command '" + command + "' is not an executable file");
      }
      return;
    }
    for (String dir : (path == null ? "" : path).split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return;
      }
    }
    throw new IllegalStateException("command '" + command + "' was not found on PATH");
  }

  private String resolve(String value, List<String> secretValues) {
    String resolved = secrets.apply(value);
    if (value != null && value.contains("${env:")) {
      secretValues.add(resolved);
    }
    return resolved;
  }
}
