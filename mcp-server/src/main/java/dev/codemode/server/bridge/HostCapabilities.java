package dev.codemode.server.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.BridgeException;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.EgressRecord;
import dev.codemode.runtime.HostBridge;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The host's answer to every capability the guest asks for. Each capability checks the run's policy
 * here, outside the sandbox, and records what it allowed or denied in the run's journal.
 */
public final class HostCapabilities implements HostBridge {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public CompletionStage<JsonNode> call(BridgeCall call) {
    try {
      return switch (call.capability()) {
        case "net.fetch" -> fetch(call);
        case "tool.call" -> toolCall(call);
        case "codemode.searchTools" -> CompletableFuture.completedFuture(JSON.createArrayNode());
        case "codemode.describeTool" -> failed("ENOTOOL", "no tool named '" + call.args().path("name").asText()
            + "' (no downstream servers are configured)");
        default -> failed("ENOSYS", "unknown capability '" + call.capability() + "'");
      };
    } catch (RuntimeException e) {
      return failed("EHOST", "the host could not complete " + call.capability());
    }
  }

  private CompletionStage<JsonNode> fetch(BridgeCall call) {
    String url = call.args().path("url").asText("");
    String method = call.args().path("method").asText("GET");
    String reason = "network access is disabled by policy (profile '" + call.profile().name() + "', net.enabled: false)";
    if (call.profile().net().enabled()) {
      reason = "no egress proxy is available in this build";
    }
    call.journal().deny(new Denial("net", url, reason));
    call.journal().egress(new EgressRecord(method, url, "denied"));
    return failed("EACCES", "fetch " + url + " denied: " + reason);
  }

  private CompletionStage<JsonNode> toolCall(BridgeCall call) {
    String server = call.args().path("server").asText("");
    String tool = call.args().path("tool").asText("");
    String reason = "no downstream server '" + server + "' is configured";
    call.journal().deny(new Denial("tool", server + "." + tool, reason));
    return failed("ETOOL", reason);
  }

  private static CompletionStage<JsonNode> failed(String code, String message) {
    return CompletableFuture.failedFuture(new BridgeException(code, message));
  }
}
