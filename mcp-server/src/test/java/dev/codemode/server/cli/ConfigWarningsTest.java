package dev.codemode.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** check-config warns about what is valid but cannot work as written. */
class ConfigWarningsTest {
  @Test
  void unsetEnvironmentReferencesAndAllowEntriesForUnconfiguredServersAreWarned() {
    CodemodeConfig cfg = ConfigLoader.parse("""
        profiles:
          default:
            tools: {allow: ['memory.*', 'github.create_issue', '*.read']}
        servers:
          memory: {command: node, args: [m.js], env: {MEMORY_FILE_PATH: '${env:SET_ONE}', TOKEN: '${env:UNSET_ONE}'}}
        """, "t.yaml", Path.of("/tmp"));
    List<String> w = ConfigWarnings.of(cfg, Map.of("SET_ONE", "x")::get);
    assertEquals(List.of(
        "servers.memory.env.TOKEN: ${env:UNSET_ONE} is not set in this environment (the server cannot start until it is)",
        "profiles.default.tools.allow[1]: 'github.create_issue' names server 'github', which is not configured, so it can"
            + " never match (configured: memory)"), w);
  }

  @Test
  void networkRulesThatNeverApplyAndApprovalsThatNeverMatchAreWarned() {
    CodemodeConfig cfg = ConfigLoader.parse("""
        profiles:
          default:
            net: {enabled: false, allow: [{host: api.github.com, methods: [GET]}]}
            tools: {allow: ['memory.read_graph'], require_approval: ['memory.delete_entities', 'memory.read_graph', 'memory.*']}
        servers:
          memory: {command: node, args: [m.js]}
        """, "t.yaml", Path.of("/tmp"));
    assertEquals(List.of(
        "profiles.default.net.allow: 1 rule(s), but net.enabled is false, so they never apply (set net.enabled: true to use them)",
        "profiles.default.tools.require_approval[0]: 'memory.delete_entities' is not in tools.allow, so it is denied before"
            + " approval is asked (this entry never matches)"), ConfigWarnings.of(cfg, Map.<String, String>of()::get));
  }
}
