package dev.codemode.server.transport.http;

import dev.codemode.server.auth.Principal;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Binds each MCP session to the principal that created it: the session id the server hands out is
 * recorded against that principal, and a request that names a session someone else owns, or one this
 * filter never saw, is answered 404 as if the session did not exist. Principals never share a session,
 * so one never sees another's streams, notifications or runs. A session its owner ended (DELETE) is
 * reported to {@code sessionEnded}, named as runs name it ({@link HttpToolHandler#session}).
 */
public final class SessionOwnerFilter implements Filter {
  /** The Streamable HTTP session header. */
  public static final String SESSION_HEADER = "Mcp-Session-Id";
  private static final int MAX_SESSIONS = 50_000;
  private final Map<String, String> owners = new LinkedHashMap<>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > MAX_SESSIONS;
    }
  };

  private final Consumer<String> sessionEnded;

  /** {@code sessionEnded} receives each session its owner ended, as runs name it (principal and session id). */
  public SessionOwnerFilter(Consumer<String> sessionEnded) {
    this.sessionEnded = sessionEnded;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    Principal principal = (Principal) request.getAttribute(Principal.CONTEXT_KEY);
    if (principal == null) {
      HttpErrors.refuse(request, response, 401, "authentication required");
      return;
    }
    String session = request.getHeader(SESSION_HEADER);
    if (session != null) {
      String owner;
      synchronized (owners) {
        owner = owners.get(session);
      }
      if (owner == null || !owner.equals(principal.name())) {
        HttpErrors.refuse(request, response, 404, "session not found; initialize a new one");
        return;
      }
    }
    chain.doFilter(req, new Recording(response, principal.name()));
    if (session != null && "DELETE".equals(request.getMethod()) && response.getStatus() < 300) {
      synchronized (owners) {
        owners.remove(session);
      }
      sessionEnded.accept(HttpToolHandler.session(principal, session));
    }
  }

  private void bind(String session, String principal) {
    synchronized (owners) {
      owners.putIfAbsent(session, principal);
    }
  }

  /** Records the session id the transport hands out. */
  private final class Recording extends HttpServletResponseWrapper {
    private final String principal;

    Recording(HttpServletResponse response, String principal) {
      super(response);
      this.principal = principal;
    }

    @Override
    public void setHeader(String name, String value) {
      if (SESSION_HEADER.equalsIgnoreCase(name) && value != null) {
        bind(value, principal);
      }
      super.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
      if (SESSION_HEADER.equalsIgnoreCase(name) && value != null) {
        bind(value, principal);
      }
      super.addHeader(name, value);
    }
  }
}
