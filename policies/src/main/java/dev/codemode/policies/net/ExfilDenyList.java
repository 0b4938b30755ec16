package dev.codemode.policies.net;

import dev.codemode.policies.EgressRuleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Built-in deny rules for well-known upload, paste and webhook endpoints: they win over every configured
 * rule and cannot be switched off. Paths match the decoded path ignoring case; every scheme and port.
 *
 * <table>
 *   <caption>Built-in exfiltration deny list</caption>
 *   <tr><th>host</th><th>paths</th><th>methods</th><th>why</th></tr>
 *   <tr><td>api.anthropic.com</td><td>/v1/files, /v1/files/**</td><td>all</td><td>Files API upload</td></tr>
 *   <tr><td>api.openai.com</td><td>/v1/files, /v1/files/**, /v1/uploads, /v1/uploads/**</td><td>all</td><td>file uploads</td></tr>
 *   <tr><td>generativelanguage.googleapis.com</td><td>/upload/**</td><td>all</td><td>Gemini file upload</td></tr>
 *   <tr><td>api.github.com</td><td>/gists, /gists/**</td><td>POST, PUT, PATCH</td><td>creating or editing gists</td></tr>
 *   <tr><td>uploads.github.com</td><td>all</td><td>all</td><td>release asset upload</td></tr>
 *   <tr><td>pastebin.com, paste.rs, 0x0.st, transfer.sh, file.io</td><td>all</td><td>all</td><td>paste and file drop sites</td></tr>
 *   <tr><td>hooks.slack.com</td><td>all</td><td>all</td><td>incoming webhooks</td></tr>
 *   <tr><td>discord.com, discordapp.com</td><td>/api/webhooks/**, /api/&#42;/webhooks/**</td><td>all</td><td>webhooks</td></tr>
 * </table>
 */
public final class ExfilDenyList {
  private static final List<EgressRule> RULES = build();

  private ExfilDenyList() {}

  private static List<EgressRule> build() {
    List<EgressRule> rules = new ArrayList<>();
    add(rules, "api.anthropic.com", List.of("/v1/files", "/v1/files/**"), List.of());
    add(rules, "api.openai.com", List.of("/v1/files", "/v1/files/**", "/v1/uploads", "/v1/uploads/**"), List.of());
    add(rules, "generativelanguage.googleapis.com", List.of("/upload/**"), List.of());
    add(rules, "api.github.com", List.of("/gists", "/gists/**"), List.of("POST", "PUT", "PATCH"));
    add(rules, "uploads.github.com", List.of(), List.of());
    for (String host : List.of("pastebin.com", "paste.rs", "0x0.st", "transfer.sh", "file.io", "hooks.slack.com")) {
      add(rules, host, List.of(), List.of());
    }
    for (String host : List.of("discord.com", "discordapp.com")) {
      add(rules, host, List.of("/api/webhooks/**", "/api/*/webhooks/**"), List.of());
    }
    return List.copyOf(rules);
  }

  private static void add(List<EgressRule> rules, String host, List<String> paths, List<String> methods) {
    EgressRuleSpec spec = new EgressRuleSpec(host, List.of(), List.of(), methods, paths, false, null);
    rules.add(EgressRule.builtIn(spec, "built-in exfiltration deny rule"));
  }

  /** The built-in rules, in table order. */
  public static List<EgressRule> rules() {
    return RULES;
  }

  /** A deny verdict when a built-in rule matches {@code target}. */
  public static Optional<Verdict> check(EgressTarget target) {
    for (EgressRule rule : RULES) {
      if (rule.mismatch(target) == null) {
        String paths = rule.paths().isEmpty() ? "every path" : rule.paths().toString();
        return Optional.of(Verdict.deny(rule, rule.describe() + ": " + target.method() + " "
            + target.host().text() + target.path().decoded() + " is a known upload endpoint (" + paths + ")"));
      }
    }
    return Optional.empty();
  }
}
