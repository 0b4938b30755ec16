package dev.codemode.server.transport.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Counts requests being served and, once shutdown starts, turns new ones away with 503 so that the
 * in-flight ones can finish within the grace period.
 */
public final class DrainFilter implements Filter {
  private final Object lock = new Object();
  private int inFlight;
  private boolean draining;

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    boolean admitted;
    synchronized (lock) {
      admitted = !draining;
      if (admitted) {
        inFlight++;
      }
    }
    if (!admitted) {
      HttpServletResponse response = (HttpServletResponse) res;
      response.setHeader("Retry-After", "5");
      response.setHeader("Connection", "close");
      HttpErrors.write(response, 503, "the server is shutting down");
      return;
    }
    try {
      chain.doFilter(req, res);
    } finally {
      synchronized (lock) {
        inFlight--;
        lock.notifyAll();
      }
    }
  }

  /** Starts draining, then waits up to {@code graceMs} for the in-flight requests; returns how many are left. */
  public int drain(long graceMs) throws InterruptedException {
    long deadline = System.nanoTime() + graceMs * 1_000_000;
    synchronized (lock) {
      draining = true;
      while (inFlight > 0) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          break;
        }
        lock.wait(left);
      }
      return inFlight;
    }
  }
}
