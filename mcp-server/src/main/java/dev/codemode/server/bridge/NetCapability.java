package dev.codemode.server.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.policies.Profile;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.BridgeException;
import dev.codemode.server.egress.EgressDeniedException;
import dev.codemode.server.egress.EgressException;
import dev.codemode.server.egress.EgressLimitException;
import dev.codemode.server.egress.EgressProxy;
import dev.codemode.server.egress.EgressThreads;
import dev.codemode.server.egress.RunEgress;
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
import dev.codemode.server.Secrets;

/**
 * {@code fetch()} from the guest: one egress proxy per profile, one {@link RunEgress} per run (opened at
 * admission, closed at run end), and the fixed {@link EgressThreads} every run shares.
 */
final class NetCapability implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, EgressProxy> proxies = new LinkedHashMap<>();
  private final EgressThreads threads = new EgressThreads(EgressThreads.NETWORK_THREADS);

  NetCapability(Collection<Profile> profiles, Secrets secrets) {
    for (Profile p : profiles) {
      proxies.put(p.name(), EgressProxy.build(p.net(), secrets));
    }
  }

  /** The egress of a run on {@code profile}, or null when the profile has no egress policy. */
  RunEgress openRun(Profile profile) {
    EgressProxy proxy = proxies.get(profile.name());
    return proxy == null ? null : proxy.openRun(threads);
  }

  /** The guest's fetch through the run's own egress. */
  static CompletionStage<JsonNode> fetch(RunEgress egress, BridgeCall call) {
    if (egress == null) {
      return CompletableFuture.failedFuture(new BridgeException("EACCES", "no egress policy for this profile"));
    }
    FetchRequest request = request(call.args());
    return egress.fetch(request, call.journal(), call.hostBudget()).handle((response, failure) -> {
      if (failure == null) {
        return call.hostBudget().charged(() -> response(response));
      }
      EgressException e = EgressProxy.egressFailure(failure);
      if (e instanceof EgressLimitException) {
        throw new BridgeException("ELIMIT", "fetch " + request.url() + " refused: " + e.getMessage());
      } else if (e instanceof EgressDeniedException) {
        throw new BridgeException("EACCES", "fetch " + request.url() + " denied: " + e.getMessage());
      }
      throw new BridgeException("ENET", "fetch " + request.url() + " failed: " + e.getMessage());
    });
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
    threads.close();
  }
}
