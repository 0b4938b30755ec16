package dev.codemode.policies.secrets;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where one secret comes from. Compiled at configuration load; read on the host only, never in the
 * sandbox. {@link #reference()} is how the configuration names it, safe to print.
 */
public sealed interface SecretSource {
  /** The reference as written in the configuration (never the value). */
  String reference();

  /** An environment variable of the server process, read at start-up. */
  record Env(String name) implements SecretSource {
    public Env {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String reference() {
      return "${env:" + name + "}";
    }
  }

  /** A file, re-read when it changes (how Kubernetes projects rotating tokens); trailing newlines dropped. */
  record File(Path path) implements SecretSource {
    public File {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String reference() {
      return "${file:" + path + "}";
    }
  }

  /**
   * A command whose standard output is the secret (like AWS's {@code credential_process}), run without a
   * shell and cached for {@code ttl}.
   */
  record Command(String name, List<String> argv, Duration ttl) implements SecretSource {
    public Command {
      argv = List.copyOf(argv);
    }

    @Override
    public String reference() {
      return "${credential:" + name + "}";
    }
  }

  /**
   * An OAuth 2.0 access token from the client-credentials grant (RFC 6749 section 4.4), cached until shortly
   * before it expires and fetched again after a 401.
   *
   * @param scope space-separated scopes, or null
   * @param audience the {@code audience} parameter many providers want, or null
   */
  record OAuthClientCredentials(String name, URI tokenUrl, SecretTemplate clientId, SecretTemplate clientSecret,
      String scope, String audience) implements SecretSource {
    @Override
    public String reference() {
      return "${credential:" + name + "}";
    }
  }
}
