package dev.codemode.policies.config;

import dev.codemode.policies.ops.AdminSettings;
import dev.codemode.policies.ops.ArtifactSettings;
import dev.codemode.policies.ops.AuditSettings;
import dev.codemode.policies.ops.OpsSettings;
import dev.codemode.policies.ops.PiiPattern;
import dev.codemode.policies.ops.PiiSettings;
import dev.codemode.policies.ops.QuarantineSettings;
import dev.codemode.policies.ops.QuarantineTrigger;
import dev.codemode.policies.ops.TelemetrySettings;
import dev.codemode.policies.config.RawOps.RawAdmin;
import dev.codemode.policies.config.RawOps.RawArtifacts;
import dev.codemode.policies.config.RawOps.RawAudit;
import dev.codemode.policies.config.RawOps.RawPii;
import dev.codemode.policies.config.RawOps.RawQuarantine;
import dev.codemode.policies.config.RawOps.RawTelemetry;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Merges the operational sections over the embedded default (key by key) and checks every value. */
final class OpsValidator {
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");
  private static final Pattern PII_NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");
  private static final Set<String> BUILT_IN_PII = Set.of("EMAIL", "PHONE", "CARD", "IBAN");

  private final String source;
  private final ConfigChecks checks;
  private final Path baseDir;
  private final SharedStateValidator shared;

  OpsValidator(String source, LineIndex lines, Path baseDir) {
    this.source = source;
    this.checks = new ConfigChecks(source, lines);
    this.baseDir = baseDir;
    this.shared = new SharedStateValidator(checks);
  }

  OpsSettings validate(RawConfig base, RawConfig file) {
    return new OpsSettings(audit(base.audit(), file.audit()), artifacts(base.artifacts(), file.artifacts()),
        admin(base.admin(), file.admin()), quarantine(base.quarantine(), file.quarantine()), pii(base.pii(), file.pii()),
        telemetry(base.telemetry(), file.telemetry()), shared.state(base.state(), file.state()),
        shared.store(base.store(), file.store()));
  }

  private AuditSettings audit(RawAudit b, RawAudit f) {
    RawAudit r = f == null ? b : new RawAudit(pick(b.sink(), f.sink()), pick(b.path(), f.path()),
        pick(b.maxFileMb(), f.maxFileMb()), pick(b.maxHistory(), f.maxHistory()));
    checks.require(Set.of("stderr", "file").contains(r.sink()), "audit.sink",
        "sink is 'stderr' or 'file' (stdout carries the MCP protocol in stdio mode)");
    return new AuditSettings(r.sink(), path("audit.path", r.path()), (int) checks.range("audit.max_file_mb", r.maxFileMb(), 1, 10_240),
        (int) checks.range("audit.max_history", r.maxHistory(), 1, 1_000));
  }

  private ArtifactSettings artifacts(RawArtifacts b, RawArtifacts f) {
    RawArtifacts r = f == null ? b : new RawArtifacts(pick(b.dir(), f.dir()), pick(b.maxRunMb(), f.maxRunMb()),
        pick(b.maxTotalMb(), f.maxTotalMb()), pick(b.retentionHours(), f.retentionHours()),
        pick(b.maxPrincipalMb(), f.maxPrincipalMb()));
    long run = checks.range("artifacts.max_run_mb", r.maxRunMb(), 1, 10_240);
    long total = checks.range("artifacts.max_total_mb", r.maxTotalMb(), 1, 1_048_576);
    checks.require(total >= run, "artifacts.max_total_mb", "must be at least artifacts.max_run_mb (" + run + ")");
    long principal = r.maxPrincipalMb() == null ? total : checks.range("artifacts.max_principal_mb", r.maxPrincipalMb(), 1, total);
    checks.require(principal >= run, "artifacts.max_principal_mb", "must be at least artifacts.max_run_mb (" + run + ")");
    return new ArtifactSettings(path("artifacts.dir", r.dir()), run << 20, total << 20,
        checks.range("artifacts.retention_hours", r.retentionHours(), 1, 24 * 365), principal << 20);
  }

  private AdminSettings admin(RawAdmin b, RawAdmin f) {
    RawAdmin r = f == null ? b : new RawAdmin(pick(b.enabled(), f.enabled()), pick(b.listen(), f.listen()), pick(b.token(), f.token()));
    String listen = r.listen();
    int colon = listen == null ? -1 : listen.lastIndexOf(':');
    checks.require(colon > 0, "admin.listen", "listen is HOST:PORT on a loopback address, e.g. 127.0.0.1:7787");
    String host = listen.substring(0, colon);
    checks.require(LOOPBACK.contains(host), "admin.listen", "the admin endpoint binds a loopback address only (127.0.0.1, ::1, localhost)");
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    checks.require(port >= 1 && port <= 65535, "admin.listen", "the port is 1 to 65535");
    boolean enabled = r.enabled();
    checks.require(!enabled || (r.token() != null && !r.token().isBlank()), "admin.token",
        "the admin endpoint needs a token (use '${env:NAME}' to keep it out of the file)");
    boolean reference = r.token() != null && (r.token().startsWith("${env:") || r.token().startsWith("${file:")
        || r.token().startsWith("${credential:"));
    checks.require(r.token() == null || reference || r.token().length() >= 24, "admin.token",
        "a literal token must be at least 24 characters; prefer '${env:NAME}' or '${file:/path}' (re-read when it changes)");
    return new AdminSettings(enabled, host.equals("localhost") ? "127.0.0.1" : host.replace("[", "").replace("]", ""), port, r.token());
  }

  private QuarantineSettings quarantine(RawQuarantine b, RawQuarantine f) {
    RawQuarantine r = f == null ? b : new RawQuarantine(pick(b.dir(), f.dir()), pick(b.triggers(), f.triggers()),
        pick(b.maxBundleMb(), f.maxBundleMb()), pick(b.maxTotalMb(), f.maxTotalMb()), pick(b.retentionDays(), f.retentionDays()));
    List<String> raw = r.triggers() == null ? List.of() : r.triggers();
    List<QuarantineTrigger> triggers = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Optional<QuarantineTrigger> t = QuarantineTrigger.parse(raw.get(i));
      checks.require(t.isPresent(), "quarantine.triggers[" + i + "]", "unknown trigger '" + raw.get(i)
          + "' (known: exfil_list, fs_deny_glob, limit, limit:<kind>, net_denied, tool_denied)");
      t.ifPresent(triggers::add);
    }
    // A bundle holds the code (up to 1 MiB) whole, so it needs room for that and its record.
    long bundle = checks.range("quarantine.max_bundle_mb", r.maxBundleMb(), 2, 1_024);
    long total = checks.range("quarantine.max_total_mb", r.maxTotalMb(), 2, 1_048_576);
    checks.require(total >= bundle, "quarantine.max_total_mb", "must be at least quarantine.max_bundle_mb (" + bundle + ")");
    return new QuarantineSettings(path("quarantine.dir", r.dir()), triggers, bundle << 20, total << 20,
        checks.range("quarantine.retention_days", r.retentionDays(), 1, 3_650));
  }

  private PiiSettings pii(RawPii b, RawPii f) {
    RawPii r = f == null ? b : new RawPii(pick(b.ttlMinutes(), f.ttlMinutes()), pick(b.patterns(), f.patterns()));
    List<PiiPattern> patterns = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<RawOps.RawPiiPattern> raw = r.patterns() == null ? List.of() : r.patterns();
    for (int i = 0; i < raw.size(); i++) {
      String at = "pii.patterns[" + i + "]";
      RawOps.RawPiiPattern p = raw.get(i);
      checks.require(p != null && p.name() != null && PII_NAME.matcher(p.name()).matches(), at + ".name",
          "a pattern name is upper-case letters, digits and '_' (it becomes the token label, e.g. [EMPLOYEE_ID_1])");
      checks.require(!BUILT_IN_PII.contains(p.name()) && names.add(p.name()), at + ".name", "name '" + p.name() + "' is taken");
      checks.require(p.regex() != null && !p.regex().isEmpty(), at + ".regex", "a pattern needs a regex");
      try {
        checks.require(!Pattern.compile(p.regex()).matcher("").matches(), at + ".regex", "the regex matches the empty string");
      } catch (PatternSyntaxException e) {
        throw checks.fail(at + ".regex", "not a valid regular expression: " + e.getDescription());
      }
      patterns.add(new PiiPattern(p.name(), p.regex()));
    }
    return new PiiSettings(checks.range("pii.ttl_minutes", r.ttlMinutes(), 1, 7 * 24 * 60), patterns);
  }

  private TelemetrySettings telemetry(RawTelemetry b, RawTelemetry f) {
    RawTelemetry r = f == null ? b : new RawTelemetry(pick(b.otlpEndpoint(), f.otlpEndpoint()), pick(b.serviceName(), f.serviceName()));
    String name = r.serviceName() == null ? "codemode" : r.serviceName();
    checks.require(!name.isBlank() && name.length() <= 128, "telemetry.service_name", "a service name is 1 to 128 characters");
    if (r.otlpEndpoint() == null || r.otlpEndpoint().isBlank()) {
      return new TelemetrySettings(null, name);
    }
    URI uri;
    try {
      uri = new URI(r.otlpEndpoint());
    } catch (URISyntaxException e) {
      uri = null;
    }
    checks.require(uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
        && uri.getUserInfo() == null && uri.getQuery() == null && uri.getFragment() == null, "telemetry.otlp_endpoint",
        "an OTLP/HTTP collector URL, e.g. http://127.0.0.1:4318 (the traces path /v1/traces is added unless given)");
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
    URI traces = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + (path.endsWith("/v1/traces") ? path : path + "/v1/traces"));
    return new TelemetrySettings(traces, name);
  }

  /**
   * {@code ${state}/x} is under the state folder ({@code $XDG_STATE_HOME/codemode}, else
   * {@code ~/.local/state/codemode}), {@code ~/x} under the user's home, a relative path under the
   * configuration file's folder.
   */
  private String path(String at, String value) {
    checks.require(value != null && !value.isBlank() && value.indexOf('\0') < 0, at, "a path is required");
    Path p;
    if (value.startsWith("${state}/")) {
      p = OpsSettings.stateDir().resolve(value.substring("${state}/".length()));
    } else if (value.equals("~") || value.startsWith("~/")) {
      p = Path.of(System.getProperty("user.home") + value.substring(1));
    } else {
      p = baseDir.resolve(value);
    }
    return p.toAbsolutePath().normalize().toString();
  }

  /** {@code child} when the file sets it, else the inherited {@code parent}. */
  static <T> T pick(T parent, T child) {
    return child == null ? parent : child;
  }

}
