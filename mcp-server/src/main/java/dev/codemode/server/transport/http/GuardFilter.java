package dev.codemode.server.transport.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;

/** Checks Host, Origin and the size of the header block before anything else reads the request. */
public final class GuardFilter implements Filter {
  private final RequestGuard guard;
  private final int maxHeaderBytes;

  public GuardFilter(RequestGuard guard, int maxHeaderBytes) {
    this.guard = guard;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    if (headerBytes(request) > maxHeaderBytes) {
      HttpErrors.refuse(request, response, 413, "request headers too large (limit " + maxHeaderBytes + " bytes)");
      return;
    }
    if (!guard.hostAllowed(request.getHeader("Host"))) {
      HttpErrors.refuse(request, response, 403, "host not allowed (see http.allowed_hosts)");
      return;
    }
    if (Collections.list(request.getHeaders("Origin")).size() > 1 || !guard.originAllowed(request.getHeader("Origin"))) {
      HttpErrors.refuse(request, response, 403, "origin not allowed (see http.allowed_origins)");
      return;
    }
    chain.doFilter(req, res);
  }

  private static long headerBytes(HttpServletRequest request) {
    long total = 0;
    for (String name : Collections.list(request.getHeaderNames())) {
      for (String value : Collections.list(request.getHeaders(name))) {
        total += name.length() + value.length() + 4;
      }
    }
    return total;
  }
}
