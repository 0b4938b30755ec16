package dev.codemode.server.transport.http;

import java.util.regex.Pattern;

/**
 * Keeps error bodies free of Java internals: a body that mentions an exception, a stack frame, a
 * qualified class name or a Jackson type hint is replaced by a short generic message for its status.
 */
public final class SafeErrorText {
  private static final int MAX_CHARS = 2_000;
  private static final Pattern UNSAFE = Pattern.compile(
      "(?i:exception|throwable|stacktrace)|\\bat [\\w$.]+\\(|`|\\$[A-Z]|\\b[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+\\.[A-Z][\\w$]*|"
      + "\\b(java|javax|jakarta|sun|jdk|org\\.eclipse|io\\.modelcontextprotocol|com\\.fasterxml|tools\\.jackson|reactor)\\.");

  private SafeErrorText() {}

  /** Whether {@code body} may be shown to a client as it is. */
  public static boolean isSafe(String body) {
    return body.length() <= MAX_CHARS && !UNSAFE.matcher(body).find();
  }

  /** {@code body} when it is safe, else a generic JSON error for {@code status}. */
  public static String sanitize(int status, String body) {
    return isSafe(body) ? body : HttpErrors.body(status, genericMessage(status));
  }

  /** The generic message for a status. */
  public static String genericMessage(int status) {
    return switch (status) {
      case 400 -> "bad request: send one JSON-RPC message as application/json, with Accept: application/json, text/event-stream";
      case 404 -> "not found";
      case 413 -> "request too large";
      default -> HttpErrors.reason(status);
    };
  }
}
