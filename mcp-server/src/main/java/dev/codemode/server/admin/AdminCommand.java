package dev.codemode.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.codemode.policies.CodemodeConfig;
import dev.codemode.policies.ops.AdminSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.util.List;
import java.util.function.Function;

/** {@code codemode admin runs | cancel RUN_ID | killswitch on|off|status}: talks to a running server's admin endpoint. */
public final class AdminCommand {
  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private AdminCommand() {}

  /** Runs the command in {@code words}; returns the exit code (0 done, 1 refused or not found, 2 usage). */
  public static int run(CodemodeConfig config, Function<String, String> secrets, List<String> words, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    AdminSettings admin = config.ops().admin();
    if (!admin.enabled()) {
      err.println("codemode admin: the admin endpoint is not enabled in " + config.source()
          + ": set admin.enabled: true and admin.token in the server's config, and pass it with --config");
      return 2;
    }
    String method;
    String path;
    String w = String.join(" ", words);
    if (w.equals("runs")) {
      method = "GET";
      path = "/runs";
    } else if (words.size() == 2 && words.get(0).equals("cancel")) {
      method = "POST";
      path = "/runs/" + java.net.URLEncoder.encode(words.get(1), java.nio.charset.StandardCharsets.UTF_8) + "/cancel";
    } else if (w.equals("killswitch on") || w.equals("killswitch off")) {
      method = "POST";
      path = "/killswitch/" + words.get(1);
    } else if (w.equals("killswitch status") || w.equals("killswitch")) {
      method = "GET";
      path = "/killswitch";
    } else {
      err.println(usage());
      return 2;
    }
    AdminClient client = new AdminClient(admin.host(), admin.port(), secrets.apply(admin.token()));
    AdminClient.Answer answer;
    try {
      answer = client.call(method, path);
    } catch (ConnectException e) {
      err.println("codemode admin: no server answers on " + admin.host() + ":" + admin.port() + " (is 'codemode serve' running with this config?)");
      return 1;
    }
    out.println(PRETTY.writeValueAsString(answer.body()));
    return answer.status() == 200 ? 0 : 1;
  }

  static String usage() {
    return "usage: codemode admin [--config FILE] runs | cancel RUN_ID | killswitch on|off|status";
  }
}
