package dev.codemode.server.audit;

import java.util.Map;

/**
 * Who asked for a run: the authenticated principal ({@code stdio} over stdio, the HTTP subject later), the
 * client session, the client's own task id when the request carries one, and a transport key that a
 * cancellation can name.
 *
 * @param taskId the request's {@code _meta.progressToken}, or the related task's id; null when absent
 * @param requestKey the JSON-RPC request id as the transport saw it; null when unknown
 * @param traceparent the caller's W3C trace context (the request's {@code _meta.traceparent}, else the HTTP
 *     header); null when absent
 */
public record RunCaller(String principal, String sessionId, String taskId, String requestKey, String traceparent) {
  /** A caller without trace context. */
  public RunCaller(String principal, String sessionId, String taskId, String requestKey) {
    this(principal, sessionId, taskId, requestKey, null);
  }

  /** The {@code _meta} key under which the stdio input tap records the JSON-RPC request id. */
  public static final String REQUEST_ID_META = "dev.codemode/request-id";
  private static final String RELATED_TASK = "io.modelcontextprotocol/related-task";
  private static final int MAX_ID_CHARS = 128;

  /** The caller of a direct, local run ({@code codemode run}). */
  public static final RunCaller LOCAL = new RunCaller("local", "local", null, null);

  /** Reads the task id and request key from a request's {@code _meta}. */
  public static RunCaller from(String principal, String sessionId, Map<String, Object> meta) {
    if (meta == null) {
      return new RunCaller(principal, sessionId, null, null);
    }
    Object task = meta.get("progressToken");
    if (task == null && meta.get(RELATED_TASK) instanceof Map<?, ?> related) {
      task = related.get("taskId");
    }
    return new RunCaller(principal, sessionId, clean(task), clean(meta.get(REQUEST_ID_META)), clean(meta.get("traceparent")));
  }

  /** This caller with {@code header} (the HTTP {@code traceparent}) as its trace context unless {@code _meta} gave one. */
  public RunCaller withTraceparentHeader(String header) {
    return traceparent != null || header == null ? this : new RunCaller(principal, sessionId, taskId, requestKey, clean(header));
  }

  private static String clean(Object value) {
    if (!(value instanceof String) && !(value instanceof Number)) {
      return null;
    }
    String s = value.toString().replaceAll("\\p{Cntrl}", "?");
    return s.length() > MAX_ID_CHARS ? s.substring(0, MAX_ID_CHARS) : s;
  }
}
