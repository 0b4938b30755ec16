package dev.codemode.server.bridge;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.codemode.bindings.BindingsGenerator;
import dev.codemode.bindings.ToolDescriptor;
import dev.codemode.policies.tools.ToolDecision;
import dev.codemode.runtime.BridgeCall;
import dev.codemode.runtime.BridgeException;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.DenialRule;
import dev.codemode.runtime.ToolCallRecord;
import dev.codemode.server.broker.ArgumentValidator;
import dev.codemode.server.broker.Broker;
import dev.codemode.server.broker.Catalog;
import dev.codemode.server.broker.DownstreamServer;
import dev.codemode.server.broker.ToolResults;
import dev.codemode.server.broker.ToolSearch;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Downstream tool calls and discovery, policy first: the run's {@link ToolGrant} (its compiled allowlist) is
 * checked on the host, a {@code require_approval} tool waits for a person's answer through the grant's
 * approver, every denial is recorded
 * with its rule, arguments are validated against the tool's input schema, and results are unwrapped.
 */
final class ToolCapabilities {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private final Broker broker;
  private final ArgumentValidator validator = new ArgumentValidator();
  private final BindingsGenerator bindings = new BindingsGenerator();

  ToolCapabilities(Broker broker) {
    this.broker = broker;
  }

  CompletionStage<JsonNode> call(BridgeCall call, ToolGrant grant) {
    String sent = call.args().path("server").asText("");
    String tool = call.args().path("tool").asText("");
    Catalog catalog = broker.catalog();
    String server = catalog.serverName(sent).orElse(sent);
    String target = server + "." + tool;
    Optional<ToolDescriptor> descriptor = catalog.tool(server, tool);
    Optional<DownstreamServer> down = broker.server(server).filter(s -> !s.everStarted() && s.lastFailure() != null);
    boolean knownServer = catalog.servers().containsKey(server);
    if (descriptor.isEmpty() && knownServer && down.isEmpty()) {
      // A tool name the code got wrong: say what was meant, whatever the allowlist says about a name that does not exist.
      return deny(call, DenialRule.TOOL_UNKNOWN, target, UnknownNames.tool(catalog, server, sent, tool));
    }
    ToolDecision decision = grant.allowed().check(server, tool);
    if (!decision.allowed()) {
      return deny(call, DenialRule.TOOL_NOT_ALLOWED, target,
          decision.reason() + (knownServer ? "" : UnknownNames.serverHint(catalog, sent)));
    }
    if (descriptor.isEmpty()) {
      if (down.isPresent()) {
        call.journal().toolCall(ToolCallRecord.refused(target));
        return CompletableFuture.failedFuture(new BridgeException("EDOWN", "downstream server '" + server
            + "' is unavailable (" + down.get().lastFailure() + ")"));
      }
      return deny(call, DenialRule.TOOL_UNKNOWN, target, UnknownNames.tool(catalog, server, sent, tool));
    }
    JsonNode args = call.args().has("args") ? call.args().get("args") : JSON.createObjectNode();
    Optional<String> invalid = validator.check(target, descriptor.get().inputSchema(), args);
    if (invalid.isPresent()) {
      call.journal().toolCall(ToolCallRecord.refused(target));
      return CompletableFuture.failedFuture(new BridgeException("EINVAL", invalid.get()));
    }
    if (grant.needApproval().allows(server, tool)) {
      // Arguments are checked first: a person is only asked about a call that could run.
      return grant.approver().ask(call.runId(), target, args).thenCompose(answer -> answer.approved()
          ? invoke(call, server, tool, target, args) : deny(call, DenialRule.TOOL_NOT_APPROVED, target, answer.reason()));
    }
    return invoke(call, server, tool, target, args);
  }

  private CompletionStage<JsonNode> invoke(BridgeCall call, String server, String tool, String target, JsonNode args) {
    long t0 = System.nanoTime();
    return broker.call(server, tool, JSON.convertValue(args, MAP)).handle((result, error) -> {
      long ms = (System.nanoTime() - t0) / 1_000_000;
      boolean ok = error == null && !ToolResults.isError(result);
      call.journal().toolCall(new ToolCallRecord(target, ok, ms));
      if (error != null) {
        throw BridgeException.of(error, "ETOOL", target + " failed");
      }
      if (ToolResults.isError(result)) {
        throw new BridgeException("ETOOL", target + ": " + ToolResults.errorMessage(result));
      }
      return ToolResults.unwrap(result);
    });
  }

  CompletionStage<JsonNode> search(BridgeCall call, ToolGrant grant) {
    List<ToolSearch.Hit> hits = ToolSearch.search(broker.catalog(), call.args().path("query").asText(""),
        grant.allowed()::allows, ToolSearch.MAX_RESULTS);
    ArrayNode out = JSON.createArrayNode();
    hits.forEach(h -> out.addObject().put("name", h.name()).put("description", h.description()));
    return CompletableFuture.completedFuture(out);
  }

  CompletionStage<JsonNode> describe(BridgeCall call, ToolGrant grant) {
    String name = call.args().path("name").asText("");
    int dot = name.indexOf('.');
    Catalog catalog = broker.catalog();
    String sentServer = dot < 0 ? name : name.substring(0, dot);
    String server = catalog.serverName(sentServer).orElse(sentServer);
    // Both spellings work: 'everything.get-sum' as listed, 'everything.getSum' as the code calls it.
    Optional<String> found = dot < 0 ? Optional.empty() : catalog.toolName(server, name.substring(dot + 1));
    if (found.isEmpty()) {
      return CompletableFuture.failedFuture(new BridgeException("ENOTOOL", "no tool named '" + name + "': "
          + (dot < 0 ? "names are 'server.tool' as codemode.searchTools returns them"
              : UnknownNames.tool(catalog, server, sentServer, name.substring(dot + 1)))));
    }
    String tool = found.get();
    ToolDecision decision = grant.allowed().check(server, tool);
    if (!decision.allowed()) {
      return deny(call, DenialRule.TOOL_NOT_ALLOWED, server + "." + tool, decision.reason());
    }
    String declaration = bindings.describeTool(catalog.servers().get(server), catalog.serverIdentifiers().get(server), tool);
    return CompletableFuture.completedFuture(TextNode.valueOf(declaration));
  }

  private static CompletionStage<JsonNode> deny(BridgeCall call, DenialRule rule, String target, String reason) {
    call.journal().deny(new Denial(rule, target, reason));
    return CompletableFuture.failedFuture(new BridgeException("EACCES", reason));
  }
}
