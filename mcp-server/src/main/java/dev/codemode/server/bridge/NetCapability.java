package dev.codemode.server.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.policies.Profile;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.BridgeException;
import dev.codemode.server.egress.EgressBudget;
import dev.codemode.server.egress.EgressDeniedException;
import dev.codemode.server.egress.EgressException;
import dev.codemode.server.egress.EgressLimitException;
import dev.codemode.server.egress.EgressProxy;
import dev.codemode.server.egress.FetchRequest;
import dev.codemode.server.egress.FetchResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import dev.codemode.server.Secrets;

/** {@code fetch()} from the guest: one egress proxy per profile; each run brings its own request budget. */
final class NetCapability implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, EgressProxy> proxies = new LinkedHashMap<>();
  private final ExecutorService io = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "codemode-egress");
    t.setDaemon(true);
    return t;
  });

  NetCapability(Collection<Profile> profiles, Secrets secrets) {
    for (Profile p : profiles) {
      proxies.put(p.name(), EgressProxy.build(p.net(), secrets));
    }
  }

  /** A fresh request budget for one run under {@code profile}; null when the profile has no egress proxy. */
  EgressBudget budget(Profile profile) {
    EgressProxy proxy = proxies.get(profile.name());
    return proxy == null ? null : proxy.newBudget();
  }

  CompletionStage<JsonNode> fetch(BridgeCall call, EgressBudget budget) {
    EgressProxy proxy = proxies.get(call.profile().name());
    if (proxy == null || budget == null) {
      return CompletableFuture.failedFuture(new BridgeException("EACCES", "no egress policy for this profile"));
    }
    FetchRequest request = request(call.args());
    return CompletableFuture.supplyAsync(() -> {
      try {
        return response(proxy.fetch(request, call.journal(), budget));
      } catch (EgressLimitException e) {
        throw new BridgeException("ELIMIT", "fetch " + request.url() + " refused: " + e.getMessage());
      } catch (EgressDeniedException e) {
        throw new BridgeException("EACCES", "fetch " + request.url() + " denied: " + e.getMessage());
      } catch (EgressException e) {
        throw new BridgeException("ENET", "fetch " + request.url() + " failed: " + e.getMessage());
      }
    }, io);
  }

  private static FetchRequest request(JsonNode args) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = args.path("headers").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> h = it.next();
      headers.put(h.getKey(), h.getValue().asText());
    }
    JsonNode body = args.get("body");
    return new FetchRequest(args.path("url").asText(""), args.path("method").asText("GET"), headers,
        body == null || body.isNull() ? null : body.asText().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode response(FetchResponse r) {
    ObjectNode out = JSON.createObjectNode();
    out.put("url", r.finalUrl());
    out.put("status", r.status());
    out.put("statusText", r.statusText());
    ObjectNode headers = out.putObject("headers");
    for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
      headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), String.join(", ", h.getValue()));
    }
    out.put("body", new String(r.body(), StandardCharsets.UTF_8));
    return out;
  }

  @Override
  public void close() {
    io.shutdownNow();
  }
}
