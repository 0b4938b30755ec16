package dev.codemode.server.auth;

import dev.codemode.policies.AuthSettings.OAuthSettings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OAuth 2.0 Protected Resource Metadata document (RFC 9728) the MCP authorization spec asks for,
 * and where it is published: {@code /.well-known/oauth-protected-resource} plus the resource's path.
 */
public final class ResourceMetadata {
  /** The well-known prefix. */
  public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";
  private final OAuthSettings settings;

  public ResourceMetadata(OAuthSettings settings) {
    this.settings = settings;
  }

  /** The document's fields. */
  public Map<String, Object> document() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("resource", settings.resource());
    doc.put("authorization_servers", settings.authorizationServers());
    Set<String> scopes = new LinkedHashSet<>(settings.requiredScopes());
    scopes.addAll(settings.scopeProfiles().keySet());
    doc.put("scopes_supported", List.copyOf(scopes));
    doc.put("bearer_methods_supported", List.of("header"));
    doc.put("resource_name", "codemode");
    return doc;
  }

  /** The absolute URL of the document for the configured resource (RFC 9728 section 3.1). */
  public String url() {
    URI r = URI.create(settings.resource());
    String path = r.getRawPath() == null || r.getRawPath().equals("/") ? "" : r.getRawPath();
    return r.getScheme() + "://" + r.getRawAuthority() + WELL_KNOWN + path;
  }

  /** The local paths the document is served at: the bare well-known path and the path-suffixed one. */
  public List<String> servedPaths() {
    String suffixed = URI.create(url()).getRawPath();
    return suffixed.equals(WELL_KNOWN) ? List.of(WELL_KNOWN) : List.of(WELL_KNOWN, suffixed);
  }

  /** The {@code scope} hint for a 403 {@code insufficient_scope} answer. */
  public String requiredScopes() {
    return String.join(" ", settings.requiredScopes());
  }
}
