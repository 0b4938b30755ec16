package dev.codemode.policies.config;

import dev.codemode.policies.ops.QuarantineTrigger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.ops.OpsSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpsConfigTest extends ConfigFixture {
  @Test
  void embeddedDefaultsAreSafe() {
    OpsSettings ops = ConfigLoader.loadDefault().ops();
    assertEquals("stderr", ops.audit().sink());
    assertFalse(ops.admin().enabled());
    assertEquals("127.0.0.1", ops.admin().host());
    assertEquals(List.of("fs_deny_glob", "exfil_list"), ops.quarantine().triggers().stream().map(QuarantineTrigger::wireName).toList());
    assertEquals(16L << 20, ops.artifacts().maxRunBytes());
    assertTrue(Path.of(ops.artifacts().dir()).isAbsolute());
    assertEquals(OpsSettings.stateDir().resolve("artifacts").toString(), ops.artifacts().dir(), "${state}/ is the state folder");
  }

  @Test
  void aFileOverridesKeyByKeyAndRelativePathsAreUnderItsFolder() {
    OpsSettings ops = parse("""
        audit: {sink: file, path: logs/audit.jsonl}
        quarantine: {dir: ~/q}
        artifacts: {dir: store, max_run_mb: 2}
        admin: {enabled: true, listen: '127.0.0.1:9999', token: '${env:ADMIN_TOKEN}'}
        pii: {patterns: [{name: EMPLOYEE_ID, regex: 'EMP-\\d{6}'}]}
        """).ops();
    assertTrue(ops.audit().toFile());
    assertEquals(dir.resolve("logs/audit.jsonl").toString(), ops.audit().path());
    assertEquals(50, ops.audit().maxFileMb(), "inherited");
    assertEquals(dir.resolve("store").toString(), ops.artifacts().dir());
    assertEquals(2L << 20, ops.artifacts().maxRunBytes());
    assertEquals(24, ops.artifacts().retentionHours(), "inherited");
    assertEquals(9999, ops.admin().port());
    assertEquals(List.of("fs_deny_glob", "exfil_list"), ops.quarantine().triggers().stream().map(QuarantineTrigger::wireName).toList(), "inherited");
    assertEquals(Path.of(System.getProperty("user.home"), "q").toString(), ops.quarantine().dir(), "~/ is the home folder");
    assertEquals("EMPLOYEE_ID", ops.pii().patterns().get(0).name());
    assertFalse(ops.admin().toString().contains("ADMIN_TOKEN"), "the token is not printed");
  }

  @Test
  void badValuesNameLineAndKey() {
    String e = errorMessage("""
        audit:
          sink: stdout
        """);
    assertTrue(e.contains("test.yaml:2") && e.contains("audit.sink") && e.contains("stderr"), e);
    assertTrue(errorMessage("audit: {sinc: file}").contains("unknown key 'sinc'"));
    assertTrue(errorMessage("audit: {max_file_mb: '10'}").contains("audit.max_file_mb"));
    assertTrue(errorMessage("admin: {listen: '0.0.0.0:7787'}").contains("loopback"));
    assertTrue(errorMessage("admin: {listen: '10.0.0.1:7787'}").contains("loopback"));
    assertTrue(errorMessage("admin: {listen: '127.0.0.1:0'}").contains("port"));
    assertTrue(errorMessage("admin: {enabled: true}").contains("needs a token"));
    assertTrue(errorMessage("admin: {enabled: true, token: short}").contains("24 characters"));
    assertEquals(List.of("limit:memory", "net_denied"),
        parse("quarantine: {triggers: [limit:memory, net_denied]}").ops().quarantine().triggers().stream().map(QuarantineTrigger::wireName).toList());
    assertTrue(errorMessage("quarantine: {triggers: [limit:forever]}").contains("unknown trigger"));
    assertTrue(errorMessage("quarantine: {triggers: [everything]}").contains("unknown trigger"));
    assertTrue(errorMessage("artifacts: {max_run_mb: 100, max_total_mb: 10}").contains("max_total_mb"));
    var q = parse("quarantine: {max_bundle_mb: 8, max_total_mb: 64, retention_days: 7}").ops().quarantine();
    assertEquals(List.of(8L << 20, 64L << 20, 7L), List.of(q.maxBundleBytes(), q.maxTotalBytes(), q.retentionDays()));
    var d = parse("quarantine: {dir: ./q}").ops().quarantine();
    assertEquals(List.of(4L << 20, 1024L << 20, 30L), List.of(d.maxBundleBytes(), d.maxTotalBytes(), d.retentionDays()),
        "the embedded defaults");
    assertTrue(errorMessage("quarantine: {max_bundle_mb: 1}").contains("quarantine.max_bundle_mb"));
    assertTrue(errorMessage("quarantine: {max_bundle_mb: 8, max_total_mb: 4}").contains("quarantine.max_total_mb"));
    assertTrue(errorMessage("quarantine: {retention_days: 0}").contains("quarantine.retention_days"));
    assertTrue(errorMessage("pii: {patterns: [{name: EMAIL, regex: 'x'}]}").contains("taken"));
    assertTrue(errorMessage("pii: {patterns: [{name: lower, regex: 'x'}]}").contains("upper-case"));
    assertTrue(errorMessage("pii: {patterns: [{name: X, regex: '('}]}").contains("not a valid regular expression"));
    assertTrue(errorMessage("pii: {patterns: [{name: X, regex: 'a*'}]}").contains("empty string"));
  }

  @Test
  void telemetryIsOffByDefaultAndTheEndpointIsACheckedTracesUrl() {
    assertFalse(ConfigLoader.loadDefault().ops().telemetry().enabled(), "no spans unless an endpoint is configured");
    assertEquals("http://127.0.0.1:4318/v1/traces",
        parse("telemetry: {otlp_endpoint: 'http://127.0.0.1:4318'}").ops().telemetry().tracesEndpoint().toString());
    assertEquals("https://otel.example/base/v1/traces",
        parse("telemetry: {otlp_endpoint: 'https://otel.example/base/v1/traces'}").ops().telemetry().tracesEndpoint().toString());
    assertEquals("codemode", parse("telemetry: {otlp_endpoint: 'http://c:4318'}").ops().telemetry().serviceName());
    String e = errorMessage("telemetry:\n  otlp_endpoint: 'grpc://c:4317'\n");
    assertTrue(e.startsWith("test.yaml:2: telemetry.otlp_endpoint: an OTLP/HTTP collector URL"), e);
    assertTrue(errorMessage("telemetry: {otlp_endpoint: 'http://user:pw@c:4318'}").contains("telemetry.otlp_endpoint"));
    assertTrue(errorMessage("telemetry: {service_name: ''}").contains("telemetry.service_name"));
  }
}
