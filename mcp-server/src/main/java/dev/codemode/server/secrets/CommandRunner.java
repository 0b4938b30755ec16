package dev.codemode.server.secrets;

import dev.codemode.policies.secrets.SecretSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link SecretSource.Command} (no shell, stdin closed, stderr discarded since it may echo the
 * secret) and takes its standard output, trailing newlines dropped, as the value.
 */
final class CommandRunner {
  private static final int MAX_OUTPUT = 64 * 1024;
  private static final long TIMEOUT_S = 30;

  SourceReader.Expiring run(SecretSource.Command command) {
    String what = command.reference() + " (" + command.argv().get(0) + ")";
    Process p;
    try {
      p = new ProcessBuilder(command.argv()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new SecretUnavailableException(what + " could not be started (" + e.getClass().getSimpleName() + ")");
    }
    try (InputStream out = p.getInputStream()) {
      byte[] bytes = out.readNBytes(MAX_OUTPUT + 1);
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new SecretUnavailableException(what + " did not finish within " + TIMEOUT_S + " s");
      }
      if (p.exitValue() != 0) {
        throw new SecretUnavailableException(what + " exited with status " + p.exitValue());
      }
      if (bytes.length > MAX_OUTPUT) {
        throw new SecretUnavailableException(what + " wrote more than " + MAX_OUTPUT + " bytes");
      }
      return new SourceReader.Expiring(SourceReader.stripTrailingNewlines(new String(bytes, StandardCharsets.UTF_8)),
          command.ttl());
    } catch (IOException e) {
      p.destroyForcibly();
      throw new SecretUnavailableException(what + " could not be read (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new SecretUnavailableException(what + " was interrupted");
    }
  }

}
