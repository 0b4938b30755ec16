package dev.codemode.policies.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configuration with several mistakes names each of them, with its line and the value written. */
class ConfigErrorsTest {
  @TempDir Path dir;

  @Test
  void everyErrorIsReportedInFileOrderWithTheOffendingValue() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
        profiles:
          default:
            proc: {wall_ms: 5, cpu_mss: 100}
            net:
              enabled: true
              allow: [{host: api.example.com, methods: [get]}]
          research:
            logging: {sample_ratio: 3}
        servers:
          memory: {command: node, start: eager}
          bad name: {command: node}
        runtime: {isolation: container}
        """, "multi.yaml", dir));
    List<String> messages = e.errors().stream().map(Throwable::getMessage).toList();
    assertEquals(List.of(
        "multi.yaml:3: profiles.default.proc.cpu_mss: unknown key 'cpu_mss' (allowed: cpu_ms, host_ms, max_ast_depth,"
            + " max_output_bytes, max_result_bytes, max_stack_frames, max_statements, mem_mb, wall_ms)",
        "multi.yaml:3: profiles.default.proc.wall_ms: must be between 10 and 3600000 (got 5)",
        "multi.yaml:6: profiles.default.net.allow[0].methods: method 'get' is not an upper-case HTTP method",
        "multi.yaml:8: profiles.research.logging.sample_ratio: must be between 0.0 and 1.0 (got 3.0)",
        "multi.yaml:10: servers.memory.start: start is 'boot' or 'lazy' (got 'eager')",
        "multi.yaml:11: servers.bad name: 'bad name' is not a server name (letters, digits, '-' and '_', starting with a"
            + " letter: it becomes servers.<name> in code)",
        "multi.yaml:12: runtime.isolation: isolation is 'process', 'in-process' or 'auto' (got 'container')"), messages);
    assertEquals(String.join("\n", messages), e.getMessage());
    assertEquals(3, e.line());
  }

  @Test
  void runtimeJitIsAutoOnOrOff() throws Exception {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
        runtime:
          jit: fast
        """, "jit.yaml", dir));
    assertEquals(List.of("jit.yaml:2: runtime.jit: jit is 'auto', 'on' or 'off' (got 'fast')"),
        e.errors().stream().map(Throwable::getMessage).toList());
    assertEquals(dev.codemode.policies.RuntimeSettings.Jit.OFF, ConfigLoader.parse("{}", "empty.yaml", dir).runtime().jit());
    assertEquals(dev.codemode.policies.RuntimeSettings.Jit.ON,
        ConfigLoader.parse("runtime: {jit: 'on'}", "on.yaml", dir).runtime().jit());
    // YAML 1.1 reads a bare on/off as a boolean; it means the same words here.
    assertEquals(dev.codemode.policies.RuntimeSettings.Jit.OFF,
        ConfigLoader.parse("runtime: {jit: off}", "off.yaml", dir).runtime().jit());
    assertEquals(dev.codemode.policies.RuntimeSettings.Jit.ON,
        ConfigLoader.parse("runtime: {jit: on}", "on.yaml", dir).runtime().jit());
    ConfigException list = assertThrows(ConfigException.class, () -> ConfigLoader.parse("runtime: {jit: [on]}", "list.yaml", dir));
    assertTrue(list.getMessage().startsWith("list.yaml:1: runtime.jit: expected a string"), list.getMessage());
  }

  @Test
  void aWrongKindOfValueNamesWhatWasWritten() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
        profiles:
          default:
            proc: {wall_ms: soon}
        """, "kind.yaml", dir));
    assertEquals("kind.yaml:3: profiles.default.proc.wall_ms: expected a whole number (got 'soon')", e.getMessage());
  }
}
