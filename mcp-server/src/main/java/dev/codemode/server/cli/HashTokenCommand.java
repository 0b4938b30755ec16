package dev.codemode.server.cli;

import dev.codemode.server.auth.TokenHash;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code codemode hash-token}: prints the {@code sha256:} form of a token read from stdin (so it stays
 * out of shell history); {@code codemode hash-token --new} makes a random token and prints it with its hash.
 */
final class HashTokenCommand {
  private HashTokenCommand() {}

  static int run(java.util.List<String> args, InputStream in, PrintStream out) throws IOException {
    // Both spellings make a new token: the flag the hints name, and the word the first version took.
    boolean generate = args.equals(java.util.List.of("--new")) || args.equals(java.util.List.of("new"));
    if (!generate && !args.isEmpty()) {
      throw new IllegalArgumentException("hash-token reads the token on stdin, not as an argument (keep it out of shell history); "
          + "'hash-token --new' makes a new one");
    }
    if (generate) {
      String token = TokenHash.newToken();
      out.println("token:  " + token);
      out.println("sha256: " + TokenHash.configForm(token));
      out.println("Give the token to the client; put only the sha256: line in auth.tokens[].sha256.");
      return 0;
    }
    String token = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    if (token == null || token.strip().isEmpty()) {
      throw new IllegalArgumentException("hash-token: no token on stdin");
    }
    token = token.strip();
    if (token.length() < 16) {
      throw new IllegalArgumentException("hash-token: a token shorter than 16 characters is too easy to guess; make one with 'codemode hash-token --new'");
    }
    out.println(TokenHash.configForm(token));
    return 0;
  }
}
