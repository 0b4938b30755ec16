package dev.codemode.server.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.BridgeException;
import dev.codemode.runtime.Denial;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Downstream tool calls and discovery. Without a broker no server exists, so every call is denied and recorded. */
final class ToolCapabilities {
  private static final ObjectMapper JSON = new ObjectMapper();

  CompletionStage<JsonNode> call(BridgeCall call) {
    String server = call.args().path("server").asText("");
    String tool = call.args().path("tool").asText("");
    String reason = "no downstream server '" + server + "' is configured";
    call.journal().deny(new Denial("tool", server + "." + tool, reason));
    return CompletableFuture.failedFuture(new BridgeException("ETOOL", reason));
  }

  CompletionStage<JsonNode> search(BridgeCall call) {
    return CompletableFuture.completedFuture(JSON.createArrayNode());
  }

  CompletionStage<JsonNode> describe(BridgeCall call) {
    return CompletableFuture.failedFuture(new BridgeException("ENOTOOL",
        "no tool named '" + call.args().path("name").asText() + "' (no downstream servers are configured)"));
  }
}
