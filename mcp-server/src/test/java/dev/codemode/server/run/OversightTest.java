package dev.codemode.server.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.Profile;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.server.RunAnswer;
import dev.codemode.server.RunIds;
import dev.codemode.server.audit.RunCaller;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OversightTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private Oversight oversight() {
    CodemodeConfig cfg = ConfigLoader.parse("""
        artifacts: {dir: ./artifacts}
        quarantine: {dir: ./quarantine}
        """, "t.yaml", dir);
    return new Oversight(cfg, new dev.codemode.server.Secrets(java.util.Map.of()), id -> true, Clock.systemUTC());
  }

  private static RunResult returning(RunRequest r, JsonNode value) {
    return new RunResult(r.runId(), RunStatus.OK, value, "", null, null, List.of(), List.of(), List.of(), List.of(), 1, 1);
  }

  @Test
  void tokensGoToTheModelAndRealValuesToToolsOfTheSameSessionOnly() throws Exception {
    try (Oversight o = oversight()) {
      Profile p = ConfigLoader.loadDefault().defaultProfile();
      RunCaller alice = RunCaller.from("stdio", "alice", Map.of("progressToken", "t-1"));
      RunRequest first = new RunRequest(RunIds.next(), "return 1", p, null, Map.of(), HostBridge.NONE);
      RunAnswer.Ran out = (RunAnswer.Ran) o.run(alice, first, r -> returning(r, JSON.valueToTree(Map.of("to", "ada@corp.example"))));
      String token = out.result().result().get("to").asText();
      assertTrue(token.matches("\\[EMAIL_[a-z2-7]{12}]"), "the model sees an unguessable token: " + token);

      AtomicReference<JsonNode> toolSaw = new AtomicReference<>();
      JsonNode args = JSON.readTree("{\"server\":\"mail\",\"tool\":\"send\",\"args\":{\"to\":\"" + token + "\"}}");
      String written = "await servers.mail.send({to: '" + token + "'})";
      RunRequest second = new RunRequest(RunIds.next(), written, p, null, Map.of(), HostBridge.NONE);
      o.run(alice, second, r -> {
        toolSaw.set(o.toolArgs(alice, p, r.code()).apply(args));
        return returning(r, JSON.nullNode());
      });
      assertEquals("ada@corp.example", toolSaw.get().at("/args/to").asText(), "a token the model wrote is restored");

      // The same token built at run time (the code never holds it literally) stays a token.
      String built = "const t = '[EMAIL_' + '" + token.substring(7, 19) + "' + ']'; await servers.mail.send({to: t})";
      RunRequest fourth = new RunRequest(RunIds.next(), built, p, null, Map.of(), HostBridge.NONE);
      o.run(alice, fourth, r -> {
        toolSaw.set(o.toolArgs(alice, p, r.code()).apply(args));
        return returning(r, JSON.nullNode());
      });
      assertEquals(token, toolSaw.get().at("/args/to").asText(), "a token built at run time is not restored");

      RunCaller mallory = RunCaller.from("stdio", "mallory", null);
      RunRequest third = new RunRequest(RunIds.next(), written, p, null, Map.of(), HostBridge.NONE);
      o.run(mallory, third, r -> {
        toolSaw.set(o.toolArgs(mallory, p, r.code()).apply(args));
        return returning(r, JSON.nullNode());
      });
      assertEquals(token, toolSaw.get().at("/args/to").asText(), "another session's token resolves to nothing");
    }
  }

  @Test
  void killswitchRefusesUntilReset() {
    try (Oversight o = oversight()) {
      assertNull(o.refusal());
      o.runs().killswitch(true, "test");
      assertNotNull(o.refusal());
      assertTrue(o.refusal().contains("killswitch"));
      o.runs().killswitch(false, "test");
      assertNull(o.refusal());
      assertFalse(o.runs().killswitch().engaged());
    }
  }
}
