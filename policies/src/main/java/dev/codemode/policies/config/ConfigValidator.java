package dev.codemode.policies.config;

import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.CredentialSpec;
import dev.codemode.policies.EgressRuleSpec;
import dev.codemode.policies.FsPolicy;
import dev.codemode.policies.LoggingPolicy;
import dev.codemode.policies.MountSpec;
import dev.codemode.policies.NetPolicy;
import dev.codemode.policies.ProcLimits;
import dev.codemode.policies.Profile;
import dev.codemode.policies.RuntimeSettings;
import dev.codemode.policies.ServerSpec;
import dev.codemode.policies.ToolPolicy;
import dev.codemode.policies.config.RawConfig.RawFs;
import dev.codemode.policies.config.RawConfig.RawMount;
import dev.codemode.policies.config.RawConfig.RawNet;
import dev.codemode.policies.config.RawConfig.RawProc;
import dev.codemode.policies.config.RawConfig.RawProfile;
import dev.codemode.policies.config.RawConfig.RawRule;
import dev.codemode.policies.config.RawConfig.RawRuntime;
import dev.codemode.policies.config.RawConfig.RawServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns the raw configuration into the effective model, checking every value; fails on the first problem. */
final class ConfigValidator {
  private static final Pattern PROFILE_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
  private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,16}");
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}");
  private static final Pattern MOUNT_SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Set<String> SCHEMES = Set.of("http", "https");

  private final String source;
  private final LineIndex lines;
  private final ConfigChecks checks;
  private final Path baseDir;
  private final EgressSecretsValidator secrets;
  private dev.codemode.policies.UpstreamProxy globalProxy;
  /** The embedded default's deny globs: a profile's own extend them; dropping one is explicit. */
  private List<String> builtinDenyGlobs = List.of();

  ConfigValidator(String source, LineIndex lines, Path baseDir) {
    this.source = source;
    this.lines = lines;
    this.checks = new ConfigChecks(source, lines);
    this.baseDir = baseDir;
    this.secrets = new EgressSecretsValidator(checks);
  }

  /** The compiled configuration; every independent section is checked, and all their errors thrown together. */
  CodemodeConfig validate(RawConfig base, RawConfig file) {
    Map<String, dev.codemode.policies.secrets.SecretSource> credentials = checks.section(() -> secrets.credentials(file.credentials()));
    globalProxy = checks.section(() -> secrets.upstreamProxy("upstream_proxy", file.upstreamProxy()));
    Map<String, RawProfile> fileProfiles = file.profiles() == null ? Map.of() : file.profiles();
    RawProfile defaults = ProfileMerger.merge(base.profiles().get("default"), fileProfiles.get("default"));
    builtinDenyGlobs = base.profiles().get("default").fs().denyGlobs();
    Map<String, Profile> profiles = new LinkedHashMap<>();
    profiles.put("default", profile("default", defaults));
    for (Map.Entry<String, RawProfile> e : fileProfiles.entrySet()) {
      String name = e.getKey();
      if (!PROFILE_NAME.matcher(name).matches()) {
        checks.section(() -> {
          throw checks.fail("profiles." + name, "'" + name + "' is not a profile name (lower-case letters, digits, '-' and '_',"
              + " starting with a letter)");
        });
      } else if (!name.equals("default")) {
        profiles.put(name, checks.section(() -> profile(name, ProfileMerger.merge(defaults, e.getValue()))));
      }
    }
    Map<String, ServerSpec> servers = new LinkedHashMap<>();
    if (file.servers() != null) {
      file.servers().forEach((name, raw) -> servers.put(name, checks.section(() -> server(name, raw))));
    }
    ServerSettingsValidator serverSettings = new ServerSettingsValidator(source, lines, baseDir);
    RuntimeSettings runtime = checks.section(() -> runtime(ProfileMerger.runtime(base.runtime(), file.runtime())));
    var ops = checks.section(() -> new OpsValidator(source, lines, baseDir).validate(base, file));
    var http = checks.section(() -> serverSettings.http(file.http()));
    var auth = checks.section(() -> serverSettings.auth(file.auth(), profiles.keySet()));
    var stdio = checks.section(() -> serverSettings.stdio(file.stdio(), profiles.keySet()));
    checks.throwCollected();
    return new CodemodeConfig(source, profiles, servers, runtime, ops, http, auth, credentials, stdio);
  }

  /** One profile; its fs, net, proc, tools and logging are checked independently. */
  private Profile profile(String name, RawProfile raw) {
    String at = "profiles." + name;
    checks.require(raw.fs() != null && raw.net() != null && raw.proc() != null && raw.tools() != null && raw.logging() != null,
        at, "incomplete profile");
    FsPolicy fs = checks.section(() -> fs(at + ".fs", raw.fs()));
    NetPolicy net = checks.section(() -> net(at + ".net", raw.net()));
    ProcLimits proc = checks.section(() -> proc(at + ".proc", raw.proc()));
    ToolPolicy tools = checks.section(() -> new ToolPolicy(toolPatterns(at + ".tools.allow", raw.tools().allow()),
        toolPatterns(at + ".tools.require_approval", raw.tools().requireApproval())));
    LoggingPolicy logging = checks.section(() -> new LoggingPolicy(ratio(at + ".logging.sample_ratio", raw.logging().sampleRatio()),
        raw.logging().redactPii()));
    return fs == null || net == null || proc == null || tools == null || logging == null ? null
        : new Profile(name, fs, net, proc, tools, logging);
  }

  private FsPolicy fs(String at, RawFs raw) {
    List<MountSpec> mounts = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<RawMount> rawMounts = raw.mounts();
    for (int i = 0; i < rawMounts.size(); i++) {
      String mat = at + ".mounts[" + i + "]";
      RawMount m = rawMounts.get(i);
      checks.require(m != null && m.path() != null, mat, "a mount needs a path");
      String path = mountPath(mat + ".path", m.path());
      checks.require(seen.add(path), mat + ".path", "mount " + path + " is listed twice");
      for (String other : seen) {
        checks.require(other.equals(path) || !(isUnder(path, other) || isUnder(other, path)), mat + ".path",
            "mounts may not nest (" + path + " and " + other + ")");
      }
      boolean rw = m.rw() != null && m.rw();
      String hostSource = null;
      if (m.source() != null) {
        checks.require(!rw, mat + ".rw", "a mount with a host source is read-only; writable mounts are in memory");
        Path p = baseDir.resolve(m.source()).normalize();
        checks.require(Files.isDirectory(p), mat + ".source", "host folder " + p + " does not exist");
        try {
          hostSource = p.toRealPath().toString();
        } catch (java.io.IOException e) {
          throw checks.fail(mat + ".source", "host folder " + p + " cannot be resolved");
        }
      } else {
        checks.require(rw, mat + ".rw", "a read-only mount needs a host 'source' folder");
      }
      mounts.add(new MountSpec(path, rw, hostSource));
    }
    List<String> drop = raw.dropBuiltinDenyGlobs() == null ? List.of() : raw.dropBuiltinDenyGlobs();
    for (int i = 0; i < drop.size(); i++) {
      checks.require(builtinDenyGlobs.contains(drop.get(i)), at + ".drop_builtin_deny_globs[" + i + "]",
          "'" + drop.get(i) + "' is not a built-in deny glob (built-in: " + String.join(", ", builtinDenyGlobs) + ")");
    }
    // The built-in protections stay unless dropped by name: a profile's deny_globs add to them (the merged
    // list already holds the built-in ones when the file does not set its own).
    List<String> globs = new ArrayList<>();
    for (String g : builtinDenyGlobs) {
      if (!drop.contains(g)) {
        globs.add(g);
      }
    }
    for (String g : raw.denyGlobs()) {
      if (!globs.contains(g) && !drop.contains(g)) {
        globs.add(g);
      }
    }
    List<String> own = raw.denyGlobs();
    for (int i = 0; i < own.size(); i++) {
      String g = own.get(i);
      checks.require(g != null && !g.isBlank(), at + ".deny_globs[" + i + "]", "a glob may not be empty");
      String gat = at + ".deny_globs[" + i + "]";
      RuleChecks.checkGlob(g).ifPresent(problem -> {
        throw checks.fail(gat, problem);
      });
    }
    return new FsPolicy(mounts, globs, positive(at + ".max_bytes", raw.maxBytes(), 1L << 40),
        (int) positive(at + ".max_files", raw.maxFiles() == null ? null : asLong(raw.maxFiles()), 10_000_000));
  }

  private NetPolicy net(String at, RawNet raw) {
    List<EgressRuleSpec> allow = rules(at + ".allow", raw.allow(), false);
    List<EgressRuleSpec> deny = rules(at + ".deny", raw.deny(), true);
    boolean enabled = raw.enabled();
    // Fail closed: "on with no rules" would otherwise read as "open".
    checks.require(!enabled || !allow.isEmpty(), at + ".enabled", "net.enabled is true but net.allow has no rules; "
        + "list the hosts to allow, or set enabled: false");
    Map<String, String> resolve = raw.resolve() == null ? Map.of() : raw.resolve();
    for (Map.Entry<String, String> e : resolve.entrySet()) {
      String host = e.getKey().toLowerCase(Locale.ROOT);
      checks.require(isIpLiteral(e.getValue()), at + ".resolve." + e.getKey(), "'" + e.getValue() + "' is not an IP address");
      boolean privateRule = allow.stream().anyMatch(r -> r.allowPrivate() && r.host().equalsIgnoreCase(host));
      checks.require(privateRule, at + ".resolve." + e.getKey(),
          "a resolve override is honoured only for a host whose allow rule says allow_private: true");
    }
    return new NetPolicy(enabled, allow, deny, resolve, (int) positive(at + ".max_requests", raw.maxRequests() == null ? null : asLong(raw.maxRequests()), 100_000),
        positive(at + ".max_request_bytes", raw.maxRequestBytes(), 1L << 32),
        positive(at + ".max_response_bytes", raw.maxResponseBytes(), 1L << 32),
        positive(at + ".timeout_ms", raw.timeoutMs(), 600_000),
        ratePositive(at + ".rate_per_second", raw.ratePerSecond()),
        raw.upstreamProxy() == null ? globalProxy : secrets.upstreamProxy(at + ".upstream_proxy", raw.upstreamProxy()));
  }

  private List<EgressRuleSpec> rules(String at, List<RawRule> raw, boolean denyRules) {
    List<EgressRuleSpec> out = new ArrayList<>();
    if (raw == null) {
      return out;
    }
    for (int i = 0; i < raw.size(); i++) {
      String rat = at + "[" + i + "]";
      RawRule r = raw.get(i);
      checks.require(r != null && r.host() != null && !r.host().isBlank(), rat + ".host", "a rule needs a host");
      List<String> schemes = r.schemes() == null ? (denyRules ? List.of() : List.of("https")) : r.schemes();
      for (String s : schemes) {
        checks.require(SCHEMES.contains(s), rat + ".schemes", "scheme '" + s + "' is not http or https");
      }
      List<Integer> ports = r.ports() == null ? List.of() : r.ports();
      for (Integer p : ports) {
        checks.require(p != null && p >= 1 && p <= 65535, rat + ".ports", "a port is 1 to 65535 (got " + p + ")");
      }
      List<String> methods = r.methods() == null ? (denyRules ? List.of() : List.of("GET", "HEAD")) : r.methods();
      for (String m : methods) {
        checks.require(m != null && METHOD.matcher(m).matches(), rat + ".methods", "method '" + m + "' is not an upper-case HTTP method");
      }
      List<String> paths = r.paths() == null ? List.of() : r.paths();
      for (String p : paths) {
        checks.require(p != null && p.startsWith("/"), rat + ".paths", "a path glob starts with '/' (got '" + p + "')");
      }
      CredentialSpec credential = null;
      if (r.credential() != null) {
        checks.require(r.credential().header() != null && HEADER_NAME.matcher(r.credential().header()).matches(),
            rat + ".credential.header", "a credential needs a valid header name");
        checks.require(r.credential().value() != null && !r.credential().value().isEmpty(), rat + ".credential.value",
            "a credential needs a value (use '${env:NAME}' to keep it out of the file)");
        credential = new CredentialSpec(r.credential().header(), secrets.template(rat + ".credential.value", r.credential().value(), true));
      }
      checks.require(r.sign() == null || !denyRules, rat + ".sign", "only allow rules sign requests");
      EgressRuleSpec spec = new EgressRuleSpec(r.host().toLowerCase(Locale.ROOT), schemes, ports, methods, paths,
          r.allowPrivate() != null && r.allowPrivate(), credential, secrets.sign(rat + ".sign", r.sign()));
      RuleChecks.check(spec, i + 1, denyRules).ifPresent(problem -> {
        throw checks.fail(rat, problem);
      });
      out.add(spec);
    }
    return out;
  }

  private ProcLimits proc(String at, RawProc raw) {
    long cpuMs = checks.range(at + ".cpu_ms", raw.cpuMs(), 10, 3_600_000);
    return new ProcLimits(
        checks.range(at + ".wall_ms", raw.wallMs(), 10, 3_600_000),
        cpuMs,
        (int) checks.range(at + ".mem_mb", asLong(raw.memMb()), 16, 65_536),
        (int) checks.range(at + ".max_output_bytes", asLong(raw.maxOutputBytes()), 256, 64 << 20),
        (int) checks.range(at + ".max_result_bytes", asLong(raw.maxResultBytes()), 256, 64 << 20),
        checks.range(at + ".max_statements", raw.maxStatements(), 1_000, Long.MAX_VALUE),
        (int) checks.range(at + ".max_stack_frames", asLong(raw.maxStackFrames()), 16, 100_000),
        (int) checks.range(at + ".max_ast_depth", asLong(raw.maxAstDepth()), 16, 100_000),
        raw.hostMs() == null ? cpuMs : checks.range(at + ".host_ms", raw.hostMs(), 10, 3_600_000));
  }

  private List<String> toolPatterns(String at, List<String> raw) {
    List<String> out = raw == null ? List.of() : raw;
    for (int i = 0; i < out.size(); i++) {
      String p = out.get(i);
      int dot = p == null ? -1 : p.indexOf('.');
      checks.require(dot > 0 && dot < p.length() - 1, at + "[" + i + "]",
          "a tool pattern is 'server.tool' (e.g. 'everything.get-sum' or 'everything.*')");
      String pat = at + "[" + i + "]";
      RuleChecks.checkToolPattern(p).ifPresent(problem -> {
        throw checks.fail(pat, problem);
      });
    }
    return out;
  }

  private ServerSpec server(String name, RawServer raw) {
    String at = "servers." + name;
    checks.require(SERVER_NAME.matcher(name).matches(), at,
        "'" + name + "' is not a server name (letters, digits, '-' and '_', starting with a letter: it becomes servers.<name> in code)");
    checks.require(raw != null && (raw.command() == null) != (raw.url() == null), at, "a server has either 'command' or 'url'");
    if (raw.url() != null) {
      checks.require(raw.url().startsWith("https://") || raw.url().startsWith("http://"), at + ".url", "url must be http(s)");
      checks.require(raw.args() == null && raw.env() == null, at, "'args' and 'env' belong to stdio servers (command)");
    } else {
      checks.require(raw.headers() == null, at + ".headers", "'headers' belong to HTTP servers (url)");
    }
    Map<String, dev.codemode.policies.secrets.SecretTemplate> headers = new LinkedHashMap<>();
    if (raw.headers() != null) {
      raw.headers().forEach((k, v) -> headers.put(k, secrets.template(at + ".headers." + k, v, true)));
    }
    String start = raw.start() == null ? "boot" : raw.start();
    checks.require(start.equals("boot") || start.equals("lazy"), at + ".start", "start is 'boot' or 'lazy' (got '" + start + "')");
    return new ServerSpec(name, raw.command(), raw.args() == null ? List.of() : raw.args(),
        raw.env() == null ? Map.of() : raw.env(), raw.url(), headers,
        raw.description() == null ? "" : raw.description(), start.equals("lazy"),
        raw.callTimeoutMs() == null ? 60_000 : checks.range(at + ".call_timeout_ms", raw.callTimeoutMs(), 100, 3_600_000),
        baseDir);
  }

  private RuntimeSettings runtime(RawRuntime raw) {
    RuntimeSettings.Isolation isolation = RuntimeSettings.Isolation.parse(raw.isolation()).orElse(null);
    checks.require(isolation != null, "runtime.isolation", "isolation is 'process', 'in-process' or 'auto' (got '" + raw.isolation() + "')");
    RuntimeSettings.Jail jail = RuntimeSettings.Jail.parse(raw.jail()).orElse(null);
    checks.require(jail != null, "runtime.jail", "jail is 'bwrap', 'none' or 'auto' (got '" + raw.jail() + "')");
    RuntimeSettings.Jit jit = RuntimeSettings.Jit.parse(raw.jit()).orElse(null);
    checks.require(jit != null, "runtime.jit", "jit is 'auto', 'on' or 'off' (got '" + raw.jit() + "')");
    int cores = Runtime.getRuntime().availableProcessors();
    int concurrent = (int) checks.range("runtime.max_concurrent_runs", asLong(raw.maxConcurrentRuns()), 0, 1024);
    return new RuntimeSettings(isolation, jail, concurrent == 0 ? cores : concurrent,
        (int) checks.range("runtime.queue_capacity", asLong(raw.queueCapacity()), 0, 100_000),
        (int) checks.range("runtime.worker_pool_size", asLong(raw.workerPoolSize()), 1, 256),
        (int) checks.range("runtime.worker_max_runs", asLong(raw.workerMaxRuns()), 1, 1_000_000), false, jit);
  }

  private String mountPath(String at, String path) {
    checks.require(path.startsWith("/") && !path.equals("/"), at, "a mount path is absolute and not '/'");
    for (String seg : path.substring(1).split("/", -1)) {
      checks.require(MOUNT_SEGMENT.matcher(seg).matches() && !seg.equals(".") && !seg.equals(".."), at,
          "mount path '" + path + "' must be canonical (no '.', '..', '//' or trailing '/')");
    }
    return path;
  }

  private static boolean isUnder(String path, String dir) {
    return path.length() > dir.length() && path.charAt(dir.length()) == '/' && path.regionMatches(0, dir, 0, dir.length());
  }

  private static boolean isIpLiteral(String s) {
    return s != null && (s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (s.contains(":") && s.matches("[0-9A-Fa-f:.]+")));
  }

  private static Long asLong(Integer value) {
    return value == null ? null : value.longValue();
  }

  private long positive(String at, Long value, long max) {
    return checks.range(at, value, 1, max);
  }

  private double ratePositive(String at, Double value) {
    checks.require(value != null && value > 0 && value <= 100_000, at, "must be a number above 0 and at most 100000"
        + (value == null ? "" : " (got " + value + ")"));
    return value;
  }

  private double ratio(String at, Double value) {
    checks.require(value != null && value >= 0 && value <= 1, at, "must be between 0.0 and 1.0" + (value == null ? "" : " (got " + value + ")"));
    return value;
  }

}
