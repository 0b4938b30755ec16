package dev.codemode.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.Profile;
import dev.codemode.policies.config.ConfigException;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.server.CodemodeService;
import dev.codemode.server.RunIds;
import dev.codemode.server.admin.AdminCommand;
import dev.codemode.server.admin.AdminServer;
import dev.codemode.server.metrics.MetricsEndpoint;
import dev.codemode.server.quarantine.QuarantineCommand;
import dev.codemode.server.quarantine.QuarantineStore;
import dev.codemode.server.tool.ResultRenderer;
import dev.codemode.server.transport.StdioServer;
import dev.codemode.server.transport.http.ListenAddress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The launcher's subcommands: {@code serve}, {@code run}, {@code bindings}, {@code check-config}, {@code hash-token}. */
public final class Commands {
  static final String VERSION = "0.1.0";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Commands() {}

  /** Dispatches {@code args}; returns the process exit code. */
  public static int dispatch(List<String> args, PrintStream out, PrintStream err) throws Exception {
    if (args.isEmpty() || Set.of("-h", "--help", "help").contains(args.get(0))) {
      out.println(usage());
      return args.isEmpty() ? 2 : 0;
    }
    List<String> rest = args.subList(1, args.size());
    try {
      return switch (args.get(0)) {
        case "serve" -> serve(CliArgs.parse(rest, Set.of("config", "http", "http-if-auth", "metrics")), err);
        // audit branch: operator commands
        case "admin" -> {
          CliArgs o = CliArgs.parse(rest, Set.of("config"));
          CodemodeConfig adminConfig = config(o);
          yield AdminCommand.run(adminConfig, dev.codemode.server.Secrets.fromEnvironment(adminConfig), o.positionals(), out, err);
        }
        case "quarantine" -> {
          CliArgs o = CliArgs.parse(rest, Set.of("config", "out"));
          yield QuarantineCommand.run(new QuarantineStore(config(o).ops().quarantine(), java.time.Clock.systemUTC()), o.positionals(),
              o.option("out"), out, err);
        }
        case "run" -> run(CliArgs.parse(rest, Set.of("config", "profile", "timeout-ms")), out, err);
        case "check-config" -> checkConfig(CliArgs.parse(rest, Set.of()), out);
        case "bindings" -> bindings(CliArgs.parse(rest, Set.of("config", "out")), out, err);
        case "hash-token" -> HashTokenCommand.run(CliArgs.parse(rest, Set.of()), System.in, out);
        case "--version", "version" -> {
          out.println("codemode " + VERSION);
          yield 0;
        }
        default -> {
          err.println("codemode: unknown command '" + args.get(0) + "'\n" + usage());
          yield 2;
        }
      };
    } catch (ConfigException e) {
      err.println("codemode: configuration error: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("codemode: " + e.getMessage());
      return 2;
    } catch (IllegalStateException e) {
      // A runtime that cannot start as configured (runtime.jail: bwrap without a working bubblewrap).
      err.println("codemode: cannot start: " + e.getMessage());
      return 2;
    }
  }

  static String usage() {
    return """
        usage: codemode serve [--config FILE] [--http HOST:PORT | --http-if-auth HOST:PORT] [--metrics 127.0.0.1:PORT]
               codemode run [--config FILE] [--profile P] [--timeout-ms N] FILE|-
               codemode bindings [--config FILE] --out DIR
               codemode check-config FILE
               codemode admin [--config FILE] runs | cancel RUN_ID | killswitch on|off|status
               codemode quarantine [--config FILE] list | show ID | export ID [--out FILE]
               codemode hash-token [new]   (hashes a token read on stdin, or makes a new one, for auth.tokens)""";
  }

  private static CodemodeConfig config(CliArgs a) {
    String file = a.option("config");
    return file == null ? ConfigLoader.loadDefault() : ConfigLoader.load(Path.of(file));
  }

  private static int serve(CliArgs a, PrintStream err) throws Exception {
    CodemodeConfig cfg = config(a);
    String http = a.option("http");
    if (http == null && a.option("http-if-auth") != null) {
      // The container image's default: HTTP for a configured deployment, stdio (docker run -i) otherwise.
      if (cfg.auth().enabled()) {
        http = a.option("http-if-auth");
      } else {
        err.println("codemode: no auth configured: serving MCP over stdio, not HTTP on " + a.option("http-if-auth"));
      }
    }
    if (http != null) {
      return HttpServe.run(cfg, ListenAddress.parse(http), VERSION, err);
    }
    CodemodeService service = new CodemodeService(cfg);
    // audit branch: the loopback metrics scrape endpoint and the admin endpoint live as long as the server
    try (MetricsEndpoint metrics = a.option("metrics") == null ? null
            : MetricsEndpoint.start(a.option("metrics"), service.oversight().metrics()::scrape);
        AdminServer admin = service.oversight().startAdmin()) {
      return StdioServer.serve(service, VERSION);
    } catch (IOException e) {
      service.close();
      err.println("codemode: cannot start a loopback endpoint: " + e.getMessage());
      return 2;
    }
  }

  private static int run(CliArgs a, PrintStream out, PrintStream err) throws IOException {
    if (a.positionals().size() != 1) {
      throw new IllegalArgumentException("run takes one FILE (or - for stdin)");
    }
    String file = a.positionals().get(0);
    String code = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
        : Files.readString(Path.of(file), StandardCharsets.UTF_8);
    CodemodeConfig full = config(a);
    // One run with the configured walls: one worker, no pool warmed for runs that will never come.
    CodemodeConfig cfg = full.withRuntime(full.runtime().forOneRun());
    String profileName = a.option("profile") == null ? "default" : a.option("profile");
    Profile profile = cfg.profile(profileName).orElseThrow(() ->
        new IllegalArgumentException("unknown profile '" + profileName + "'"));
    Long timeout = a.option("timeout-ms") == null ? null : Long.parseLong(a.option("timeout-ms"));
    try (CodemodeService service = new CodemodeService(cfg); var runBridge = service.openRun(profile)) {
      // A local run is audited like any other (principal "local").
      RunRequest request = new RunRequest(RunIds.next(), code, profile, timeout, service.servers(), runBridge);
      dev.codemode.server.admin.Oversight.Outcome o = service.oversight().run(
          dev.codemode.server.audit.RunCaller.LOCAL, request, service::run);
      if (o == null) {
        err.println("codemode: busy");
        return 1;
      }
      RunResult r = o.result();
      out.println(JSON.writeValueAsString(ResultRenderer.structured(r, o.artifacts())));
      return r.status() == dev.codemode.runtime.RunStatus.OK ? 0 : 1;
    }
  }

  private static int bindings(CliArgs a, PrintStream out, PrintStream err) throws IOException {
    if (a.option("out") == null || !a.positionals().isEmpty()) {
      throw new IllegalArgumentException("bindings takes --out DIR (and optionally --config FILE)");
    }
    return BindingsCommand.run(config(a), Path.of(a.option("out")), out, err);
  }

  private static int checkConfig(CliArgs a, PrintStream out) throws IOException {
    if (a.positionals().size() != 1) {
      throw new IllegalArgumentException("check-config takes one FILE");
    }
    CodemodeConfig cfg = ConfigLoader.load(Path.of(a.positionals().get(0)));
    out.println("config OK: " + cfg.profiles().size() + " profile(s), " + cfg.servers().size() + " server(s)");
    out.println(EffectivePolicyPrinter.print(cfg));
    out.println(dev.codemode.server.admin.OpsPrinter.print(cfg.ops()).replaceFirst("^---\\s*\n", "")); // audit branch
    return 0;
  }
}
