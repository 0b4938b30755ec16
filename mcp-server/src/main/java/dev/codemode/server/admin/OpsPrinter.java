package dev.codemode.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.codemode.policies.ops.OpsSettings;
import dev.codemode.policies.ops.PiiPattern;
import dev.codemode.policies.ops.QuarantineTrigger;

/** Prints the effective operational settings as YAML for {@code check-config}; the admin token only as its reference. */
public final class OpsPrinter {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private OpsPrinter() {}

  /** The YAML text of {@code ops}. */
  public static String print(OpsSettings ops) {
    ObjectNode root = YAML.createObjectNode();
    ObjectNode audit = root.putObject("audit");
    audit.put("sink", ops.audit().sink());
    if (ops.audit().toFile()) {
      audit.put("path", ops.audit().path()).put("max_file_mb", ops.audit().maxFileMb()).put("max_history", ops.audit().maxHistory());
    }
    root.putObject("artifacts").put("dir", ops.artifacts().dir()).put("max_run_mb", ops.artifacts().maxRunBytes() >> 20)
        .put("max_total_mb", ops.artifacts().maxTotalBytes() >> 20).put("retention_hours", ops.artifacts().retentionHours());
    root.putObject("quarantine").put("dir", ops.quarantine().dir()).putPOJO("triggers", ops.quarantine().triggers().stream().map(QuarantineTrigger::wireName).toList());
    ObjectNode admin = root.putObject("admin").put("enabled", ops.admin().enabled())
        .put("listen", ops.admin().host() + ":" + ops.admin().port());
    String token = ops.admin().token();
    admin.put("token", token == null ? null : token.matches("\\$\\{env:[A-Za-z_][A-Za-z0-9_]*}") ? token : "<redacted>");
    root.putObject("pii").put("ttl_minutes", ops.pii().ttlMinutes())
        .putPOJO("patterns", ops.pii().patterns().stream().map(PiiPattern::name).toList());
    root.putObject("telemetry").put("service_name", ops.telemetry().serviceName())
        .put("traces_endpoint", ops.telemetry().enabled() ? ops.telemetry().tracesEndpoint().toString() : null);
    try {
      return YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
