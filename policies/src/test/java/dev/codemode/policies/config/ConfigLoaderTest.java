package dev.codemode.policies.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.Profile;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest extends ConfigFixture {
  @Test
  void embeddedDefaultIsDenyAllAndEphemeral() {
    CodemodeConfig cfg = ConfigLoader.loadDefault();
    Profile p = cfg.defaultProfile();
    assertFalse(p.net().enabled());
    assertTrue(p.net().allow().isEmpty());
    assertTrue(p.tools().allow().isEmpty());
    assertTrue(p.fs().mounts().stream().allMatch(m -> m.source() == null));
    assertEquals(30_000, p.proc().wallMs());
    assertTrue(cfg.servers().isEmpty());
  }

  @Test
  void aNamedProfileInheritsWhatItDoesNotName() {
    CodemodeConfig cfg = parse("""
        profiles:
          default:
            proc: {wall_ms: 20000}
          research:
            proc: {cpu_ms: 5000}
            net: {enabled: true, allow: [{host: api.github.com, methods: [GET], paths: ['/repos/**']}]}
        """);
    Profile research = cfg.profile("research").orElseThrow();
    assertEquals(20_000, research.proc().wallMs(), "inherited from the file's default");
    assertEquals(5_000, research.proc().cpuMs());
    assertEquals(65_536, research.proc().maxOutputBytes(), "inherited from the embedded default");
    assertTrue(research.net().enabled());
    assertEquals(50, research.net().maxRequests());
    assertEquals("api.github.com", research.net().allow().get(0).host());
    assertFalse(cfg.defaultProfile().net().enabled());
  }

  @Test
  void unknownKeyNamesFileLineAndPath() {
    ConfigException e = error("""
        profiles:
          default:
            proc:
              wal_ms: 100
        """);
    assertEquals(4, e.line());
    assertTrue(e.getMessage().startsWith("test.yaml:4: profiles.default.proc.wal_ms: unknown key 'wal_ms'"), e.getMessage());
    assertTrue(e.getMessage().contains("wall_ms"), "lists the allowed keys: " + e.getMessage());
  }

  @Test
  void aStringWhereANumberBelongsIsAnError() {
    ConfigException e = error("""
        profiles:
          default:
            proc:
              wall_ms: "30000"
        """);
    assertEquals(4, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("profiles.default.proc.wall_ms: expected a whole number"), e.getMessage());
  }

  @Test
  void outOfRangeValueNamesItsLine() {
    ConfigException e = error("""
        profiles:
          default:
            proc:
              cpu_ms: 1000
              wall_ms: -5
        """);
    assertEquals(5, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("profiles.default.proc.wall_ms: must be between"), e.getMessage());
  }

  @Test
  void hostBudgetDefaultsToTheCpuBudgetAndIsValidatedLikeIt() {
    CodemodeConfig cfg = parse("""
        profiles:
          default:
            proc: {cpu_ms: 1500}
          tight:
            proc: {host_ms: 200}
        """);
    assertEquals(1500, cfg.profile("default").orElseThrow().proc().hostMs());
    assertEquals(200, cfg.profile("tight").orElseThrow().proc().hostMs());
    assertEquals(1500, cfg.profile("tight").orElseThrow().proc().cpuMs());
    ConfigException e = error("""
        profiles:
          default:
            proc:
              host_ms: 1
        """);
    assertEquals(4, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("profiles.default.proc.host_ms: must be between"), e.getMessage());
  }

  @Test
  void netEnabledWithoutRulesFailsClosed() {
    ConfigException e = error("""
        profiles:
          open:
            net:
              enabled: true
        """);
    assertEquals(4, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("net.allow has no rules"), e.getMessage());
  }

  @Test
  void duplicateKeysAreRefused() {
    ConfigException e = error("""
        profiles:
          default:
            proc: {wall_ms: 1000}
            proc: {wall_ms: 2000}
        """);
    assertTrue(e.getMessage().contains("Duplicate"), e.getMessage());
    assertEquals(4, e.line(), e.getMessage());
  }

  @Test
  void resolveOverrideNeedsAllowPrivate() {
    ConfigException e = error("""
        profiles:
          default:
            net:
              enabled: true
              allow: [{host: test.local, schemes: [http]}]
              resolve: {test.local: 127.0.0.1}
        """);
    assertTrue(e.getMessage().contains("allow_private"), e.getMessage());
    assertEquals(6, e.line(), e.getMessage());
  }

  @Test
  void allowListEntriesReportTheirOwnLine() {
    ConfigException e = error("""
        profiles:
          default:
            net:
              enabled: true
              allow:
                - {host: a.example.com}
                - {host: b.example.com, methods: [get]}
        """);
    assertEquals(7, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("profiles.default.net.allow[1].methods"), e.getMessage());
  }

  @Test
  void readOnlyMountNeedsAnExistingHostFolder() throws Exception {
    ConfigException e = error("""
        profiles:
          default:
            fs:
              mounts: [{path: /deps, source: ./missing}]
        """);
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    Files.createDirectories(dir.resolve("deps"));
    CodemodeConfig ok = parse("""
        profiles:
          default:
            fs:
              mounts: [{path: /workspace, rw: true}, {path: /deps, source: ./deps}]
        """);
    assertEquals(dir.resolve("deps").toRealPath().toString(), ok.defaultProfile().fs().mounts().get(1).source());
  }

  @Test
  void mountPathsMustBeCanonical() {
    for (String bad : new String[] {"/workspace/../etc", "/", "relative", "/a//b", "/a/"}) {
      ConfigException e = error("profiles: {default: {fs: {mounts: [{path: '" + bad + "', rw: true}]}}}");
      assertTrue(e.getMessage().contains("profiles.default.fs.mounts[0]"), e.getMessage());
    }
  }

  @Test
  void serversNeedCommandOrUrl() {
    ConfigException e = error("servers: {memory: {args: [x]}}");
    assertTrue(e.getMessage().contains("servers.memory: a server has either 'command' or 'url'"), e.getMessage());
    CodemodeConfig cfg = parse("servers: {memory: {command: npx, args: ['-y', '@modelcontextprotocol/server-memory'], "
        + "env: {MEMORY_FILE_PATH: ./m.jsonl}}, issues: {url: 'https://mcp.example.com/mcp', headers: {Authorization: '${env:T}'}}}");
    assertTrue(cfg.servers().get("memory").isStdio());
    assertFalse(cfg.servers().get("issues").isStdio());
    assertFalse(cfg.servers().get("issues").toString().contains("${env:T}"), "toString hides header values");
  }

  @Test
  void notYamlIsAnErrorWithALine() {
    ConfigException e = error("profiles:\n  default: [\n");
    assertTrue(e.getMessage().startsWith("test.yaml:"), e.getMessage());
    assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
  }

  @Test
  void emptyFileIsTheEmbeddedDefault() {
    assertEquals(ConfigLoader.loadDefault().defaultProfile(), parse("").defaultProfile());
  }
}
