package dev.codemode.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.Profile;
import dev.codemode.policies.config.ConfigException;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.policies.ops.AuditSettings;
import dev.codemode.runtime.RunStatus;
import dev.codemode.server.CodemodeService;
import dev.codemode.server.RunAnswer;
import dev.codemode.server.admin.AdminCommand;
import dev.codemode.server.admin.OpsPrinter;
import dev.codemode.server.approval.Approver;
import dev.codemode.server.artifacts.ArtifactStore;
import dev.codemode.server.audit.RunCaller;
import dev.codemode.server.bridge.ToolGrant;
import dev.codemode.server.quarantine.QuarantineCommand;
import dev.codemode.server.quarantine.QuarantineStore;
import dev.codemode.server.tool.ResultRenderer;
import dev.codemode.server.transport.StdioServer;
import dev.codemode.server.transport.http.HttpServer;
import dev.codemode.server.transport.http.ListenAddress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The launcher's subcommands: {@code serve}, {@code run}, {@code artifacts}, {@code bindings}, {@code check-config},
 * {@code admin}, {@code quarantine}, {@code hash-token}.
 */
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
    Optional<String> help = CommandHelp.requested(args.get(0), rest);
    if (help.isPresent()) {
      out.println(help.get());
      return 0;
    }
    try {
      return switch (args.get(0)) {
        case "serve" -> serve(CliArgs.parse(rest, Set.of("config", "http", "http-if-auth", "metrics")), err);
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
        case "run" -> run(CliArgs.parse(rest, Set.of("config", "profile", "timeout-ms", "audit")), out, err);
        case "artifacts" -> {
          CliArgs o = CliArgs.parse(rest, Set.of("config", "out"));
          yield ArtifactsCommand.run(new ArtifactStore(config(o).ops().artifacts(), java.time.Clock.systemUTC()), o.positionals(),
              o.option("out"), out, err);
        }
        case "check-config" -> checkConfig(CliArgs.parse(rest, Set.of()), out);
        case "bindings" -> bindings(CliArgs.parse(rest, Set.of("config", "out", "profile")), out, err);
        case "hash-token" -> HashTokenCommand.run(rest, System.in, out);
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
      e.errors().forEach(error -> err.println("codemode: configuration error: " + error.getMessage()));
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("codemode: " + e.getMessage());
      return 2;
    } catch (java.nio.file.NoSuchFileException e) {
      err.println("codemode: no such file: " + e.getFile());
      return 2;
    } catch (java.io.IOException e) {
      err.println("codemode: cannot read: " + e.getMessage());
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
               codemode run [--config FILE] [--profile P] [--timeout-ms N] [--audit file|stderr] FILE|-
               codemode artifacts [--config FILE] list | get artifact://RUN_ID/NAME [--out FILE]
               codemode bindings [--config FILE] [--profile P] --out DIR
               codemode check-config FILE
               codemode admin [--config FILE] runs | cancel RUN_ID | killswitch on|off|status
               codemode quarantine [--config FILE] list | show ID | export ID [--out FILE]
               codemode hash-token [--new]   (hashes a token read on stdin, or makes a new one, for auth.tokens)
        'codemode COMMAND --help' says more about one command.""";
  }

  private static CodemodeConfig config(CliArgs a) {
    String file = a.option("config");
    return file == null ? ConfigLoader.loadDefault() : ConfigLoader.load(Path.of(file));
  }

  /** One composition root for both transports; each transport only adds its MCP plumbing and its shutdown. */
  private static int serve(CliArgs a, PrintStream err) throws Exception {
    CodemodeConfig config = config(a);
    String http = a.option("http");
    if (http == null && a.option("http-if-auth") != null) {
      // The container image's default: HTTP for a configured deployment, stdio (docker run -i) otherwise.
      if (config.auth().enabled()) {
        http = a.option("http-if-auth");
      } else {
        err.println("codemode: no auth configured: serving MCP over stdio, not HTTP on " + a.option("http-if-auth"));
      }
    }
    ListenAddress address = http == null ? null : ListenAddress.parse(http);
    if (address != null) {
      HttpServer.checkExposure(config, address);
    }
    CodemodeService root;
    try {
      root = CodemodeService.start(config, a.option("metrics"));
    } catch (IOException e) {
      err.println("codemode: cannot start a loopback endpoint: " + e.getMessage());
      return 2;
    }
    if (address == null) {
      return StdioServer.serve(root, VERSION);
    }
    HttpServer server;
    try {
      server = HttpServer.start(root, address, VERSION, err);
    } catch (IllegalArgumentException e) {
      root.close();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "codemode-shutdown"));
    server.awaitStopped();
    return 0;
  }

  private static int run(CliArgs a, PrintStream out, PrintStream err) throws IOException {
    if (a.positionals().size() != 1) {
      throw new IllegalArgumentException("run takes one FILE (or - for stdin)");
    }
    String file = a.positionals().get(0);
    String code = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
        : Files.readString(Path.of(file), StandardCharsets.UTF_8);
    Long timeout = a.positiveLong("timeout-ms");
    CodemodeConfig full = localAudit(config(a), a.option("audit"), err);
    // One run with the configured walls: one worker, no pool warmed for runs that will never come.
    CodemodeConfig cfg = full.withRuntime(full.runtime().forOneRun());
    Profile profile = profile(cfg, a.option("profile") == null ? "default" : a.option("profile"));
    try (CodemodeService service = new CodemodeService(cfg)) {
      // A local run is audited like any other (principal "local"); nobody can approve its tool calls.
      RunAnswer answer = service.run(RunCaller.LOCAL, code, profile, timeout, ToolGrant.of(profile, null, Approver.NOBODY));
      if (!(answer instanceof RunAnswer.Ran ran)) {
        err.println("codemode: " + ResultRenderer.notRunText(answer));
        return 1;
      }
      out.println(JSON.writeValueAsString(ResultRenderer.structured(ran.result(), ran.artifacts())));
      return ran.result().status() == RunStatus.OK ? 0 : 1;
    }
  }

  /**
   * A local run's audit events go to the configured audit file (a terminal is for the result), unless
   * {@code --audit stderr} asks for them there.
   */
  private static CodemodeConfig localAudit(CodemodeConfig cfg, String option, PrintStream err) {
    String to = option == null ? "file" : option;
    if (!to.equals("file") && !to.equals("stderr")) {
      throw new IllegalArgumentException("option --audit: '" + option + "' is not file or stderr");
    }
    AuditSettings audit = cfg.ops().audit();
    if (to.equals(audit.sink())) {
      return cfg;
    }
    if (to.equals("file")) {
      err.println("codemode: audit events go to " + audit.path() + " (--audit stderr to see them here)");
    }
    return cfg.withAudit(new AuditSettings(to, audit.path(), audit.maxFileMb(), audit.maxHistory()));
  }

  private static Profile profile(CodemodeConfig cfg, String name) {
    return cfg.profile(name).orElseThrow(() -> new IllegalArgumentException("unknown profile '" + name
        + "' (configured: " + String.join(", ", new java.util.TreeSet<>(cfg.profiles().keySet())) + ")"));
  }

  private static int bindings(CliArgs a, PrintStream out, PrintStream err) throws IOException {
    if (a.option("out") == null || !a.positionals().isEmpty()) {
      throw new IllegalArgumentException("bindings takes --out DIR (and optionally --config FILE, --profile P)");
    }
    CodemodeConfig cfg = config(a);
    Profile profile = a.option("profile") == null ? null : profile(cfg, a.option("profile"));
    return BindingsCommand.run(cfg, profile, Path.of(a.option("out")), out, err);
  }

  private static int checkConfig(CliArgs a, PrintStream out) throws IOException {
    if (a.positionals().size() != 1) {
      throw new IllegalArgumentException("check-config takes one FILE");
    }
    CodemodeConfig cfg = ConfigLoader.load(Path.of(a.positionals().get(0)));
    out.println("config OK: " + cfg.profiles().size() + " profile(s), " + cfg.servers().size() + " server(s)");
    out.println(EffectivePolicyPrinter.print(cfg));
    out.println(OpsPrinter.print(cfg.ops()).replaceFirst("^---\\s*\n", ""));
    ConfigWarnings.of(cfg, System::getenv).forEach(w -> out.println("warning: " + w));
    return 0;
  }
}
