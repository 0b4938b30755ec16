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
import dev.codemode.server.tool.ResultRenderer;
import dev.codemode.server.transport.StdioServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The launcher's subcommands: {@code serve}, {@code run}, {@code check-config}. */
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
        case "serve" -> serve(CliArgs.parse(rest, Set.of("config", "http")), err);
        case "run" -> run(CliArgs.parse(rest, Set.of("config", "profile", "timeout-ms")), out, err);
        case "check-config" -> checkConfig(CliArgs.parse(rest, Set.of()), out);
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
        usage: codemode serve [--config FILE] [--http HOST:PORT]
               codemode run [--config FILE] [--profile P] [--timeout-ms N] FILE|-
               codemode check-config FILE""";
  }

  private static CodemodeConfig config(CliArgs a) {
    String file = a.option("config");
    return file == null ? ConfigLoader.loadDefault() : ConfigLoader.load(Path.of(file));
  }

  private static int serve(CliArgs a, PrintStream err) throws InterruptedException {
    if (a.option("http") != null) {
      err.println("codemode: --http is not available in this build yet; serve over stdio (no --http)");
      return 2;
    }
    CodemodeService service = new CodemodeService(config(a));
    return StdioServer.serve(service, VERSION);
  }

  private static int run(CliArgs a, PrintStream out, PrintStream err) throws IOException {
    if (a.positionals().size() != 1) {
      throw new IllegalArgumentException("run takes one FILE (or - for stdin)");
    }
    String file = a.positionals().get(0);
    String code = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
        : Files.readString(Path.of(file), StandardCharsets.UTF_8);
    CodemodeConfig cfg = config(a);
    String profileName = a.option("profile") == null ? "default" : a.option("profile");
    Profile profile = cfg.profile(profileName).orElseThrow(() ->
        new IllegalArgumentException("unknown profile '" + profileName + "'"));
    Long timeout = a.option("timeout-ms") == null ? null : Long.parseLong(a.option("timeout-ms"));
    try (CodemodeService service = new CodemodeService(cfg)) {
      RunResult r = service.run(new RunRequest(RunIds.next(), code, profile, timeout, Map.of(), service.bridge()));
      if (r == null) {
        err.println("codemode: busy");
        return 1;
      }
      out.println(JSON.writeValueAsString(ResultRenderer.structured(r, List.of())));
      return r.status() == dev.codemode.runtime.RunStatus.OK ? 0 : 1;
    }
  }

  private static int checkConfig(CliArgs a, PrintStream out) throws IOException {
    if (a.positionals().size() != 1) {
      throw new IllegalArgumentException("check-config takes one FILE");
    }
    CodemodeConfig cfg = ConfigLoader.load(Path.of(a.positionals().get(0)));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("source", cfg.source());
    report.put("profiles", cfg.profiles());
    report.put("servers", cfg.servers().keySet());
    report.put("runtime", cfg.runtime());
    out.println("config OK: " + cfg.profiles().size() + " profile(s), " + cfg.servers().size() + " server(s)");
    out.println(EffectivePolicyPrinter.print(cfg));
    return 0;
  }
}
