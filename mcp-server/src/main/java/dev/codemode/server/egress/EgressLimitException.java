package dev.codemode.server.egress;

/** A fetch refused because a per-run egress budget is spent; {@link #limit()} names which one. */
public final class EgressLimitException extends EgressDeniedException {
  private static final long serialVersionUID = 1L;
  private final String limit;

  public EgressLimitException(String limit, String reason) {
    super(reason);
    this.limit = limit;
  }

  /** {@code net.max_requests}, {@code net.rate_per_second} or {@code net.max_request_bytes}. */
  public String limit() {
    return limit;
  }
}
