package dev.codemode.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.server.CodemodeService;
import dev.codemode.server.approval.Approver;
import dev.codemode.server.audit.RunCaller;
import dev.codemode.server.tool.ExecuteCodeTool;
import dev.codemode.server.e2e.TsClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Grafana dashboard and the Prometheus alert rules in deploy/observability/ reference only metrics the server exports. */
class ObservabilityFilesIT {
  private static final Pattern METRIC = Pattern.compile("\\bcodemode_[a-z0-9_]+\\b");
  private static final Path DIR = TsClient.repoRoot().resolve("deploy/observability");

  @TempDir static Path state;

  /**
   * Every metric family the production wiring exports once runs have ended with a denial, an exfil-list
   * hit, a quarantine and a limit: sample names, with {@code _count}, {@code _sum} and {@code _max}.
   */
  private static Set<String> exported() {
    CodemodeConfig config = ConfigLoader.parse("""
        profiles:
          default:
            net: {enabled: true, allow: [{host: api.example.com, methods: [GET]}]}
        runtime: {isolation: in-process}
        audit: {sink: file, path: ./audit.log}
        artifacts: {dir: ./artifacts}
        quarantine: {dir: ./quarantine, triggers: [exfil_list]}
        """, "t.yaml", state);
    try (CodemodeService service = new CodemodeService(config)) {
      String exfil = "try { await fetch('https://api.anthropic.com/v1/files') } catch (e) { return e.message }";
      assertFalse(ExecuteCodeTool.answer(service, () -> service.executeCode(Map.of("code", exfil), RunCaller.LOCAL,
          timeout -> Approver.NOBODY)).isError());
      assertTrue(ExecuteCodeTool.answer(service, () -> service.executeCode(Map.of("code", "while (true) {}", "timeout_ms", 300),
          RunCaller.LOCAL, timeout -> Approver.NOBODY)).isError());
      Set<String> names = new TreeSet<>();
      for (String line : service.oversight().metrics().scrape().split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          names.add(line.split("[{ ]", 2)[0]);
        }
      }
      return names;
    }
  }

  private static List<String> expressions() throws Exception {
    List<String> exprs = new ArrayList<>();
    JsonNode dashboard = new ObjectMapper().readTree(DIR.resolve("grafana-dashboard.json").toFile());
    for (JsonNode panel : dashboard.path("panels")) {
      assertFalse(panel.path("targets").isEmpty(), "panel without a query: " + panel.path("title"));
      panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
    }
    JsonNode rules = new YAMLMapper().readTree(DIR.resolve("prometheus-alerts.yaml").toFile());
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        assertTrue(rule.path("alert").isTextual() && rule.path("expr").isTextual(), rule.toString());
        assertTrue(Set.of("info", "warning", "critical").contains(rule.path("labels").path("severity").asText()), rule.toString());
        assertTrue(rule.path("annotations").path("summary").isTextual(), rule.toString());
        exprs.add(rule.path("expr").asText());
      }
    }
    return exprs;
  }

  @Test
  void everyMetricAPanelOrRuleReferencesIsExported() throws Exception {
    Set<String> exported = exported();
    Set<String> missing = new TreeSet<>();
    int referenced = 0;
    for (String expr : expressions()) {
      Matcher m = METRIC.matcher(expr);
      while (m.find()) {
        referenced++;
        if (!exported.contains(m.group())) {
          missing.add(m.group());
        }
      }
    }
    assertTrue(referenced > 20, "the files reference the metrics");
    assertEquals(Set.of(), missing, "referenced but not exported (exported: " + exported + ")");
  }

  @Test
  void theIssuesPanelsAndAlertsArePresent() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DIR.resolve("grafana-dashboard.json").toFile());
    List<String> titles = new ArrayList<>();
    dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText()));
    for (String t : List.of("Runs by status", "Run latency percentiles", "Limits hit by kind", "Denials by kind", "Egress by host",
        "Tool calls by tool", "Bytes kept in the sandbox vs shown to the model", "Run slots and queue")) {
      assertTrue(titles.contains(t), t + " in " + titles);
    }
    List<String> alerts = new ArrayList<>();
    new YAMLMapper().readTree(DIR.resolve("prometheus-alerts.yaml").toFile()).path("groups")
        .forEach(g -> g.path("rules").forEach(r -> alerts.add(r.path("alert").asText())));
    assertTrue(alerts.containsAll(List.of("CodemodeKillswitchOn", "CodemodeDenialSpike", "CodemodeExfilListHit",
        "CodemodeJailDown", "CodemodeErrorRate")), alerts.toString());
  }
}
