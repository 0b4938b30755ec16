package dev.codemode.policies;

import dev.codemode.policies.secrets.SecretTemplate;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One downstream MCP server: a stdio subprocess ({@code command}) or Streamable HTTP ({@code url}).
 * Env values may hold {@code ${env:NAME}} references; header values are compiled secret templates (read
 * again for every request, so a rotated token is used without a restart). Both are resolved on the host
 * only, never in the sandbox.
 *
 * @param lazy start on first use instead of at boot
 * @param workingDir the folder of the config file: a stdio server runs there, so relative paths in its
 *     command, arguments and environment mean what they say in the config, wherever codemode was started
 */
public record ServerSpec(
    String name,
    String command,
    List<String> args,
    Map<String, String> env,
    String url,
    Map<String, SecretTemplate> headers,
    String description,
    boolean lazy,
    long callTimeoutMs,
    Path workingDir) {
  public ServerSpec {
    args = List.copyOf(args);
    env = Map.copyOf(env);
    headers = Map.copyOf(headers);
  }

  /** Whether this server is reached over stdio. */
  public boolean isStdio() {
    return command != null;
  }

  @Override
  public String toString() {
    return "ServerSpec[name=" + name + ", command=" + command + ", url=" + url + ", env=" + env.keySet()
        + ", headers=" + headers.keySet() + "]";
  }
}
