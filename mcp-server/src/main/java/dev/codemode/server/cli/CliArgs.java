package dev.codemode.server.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parsed command-line arguments: {@code --name value} options (each from an allowed set) and positionals. */
public record CliArgs(Map<String, String> options, List<String> positionals) {

  /** Parses {@code args}; unknown options and options without a value are errors. */
  public static CliArgs parse(List<String> args, Set<String> allowed) {
    Map<String, String> options = new HashMap<>();
    List<String> positionals = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--")) {
        String name = a.substring(2);
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (!allowed.contains(name)) {
          throw new IllegalArgumentException("unknown option --" + name + " (allowed: --" + String.join(", --", allowed) + ")");
        }
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException("option --" + name + " needs a value");
          }
          value = args.get(++i);
        }
        options.put(name, value);
      } else {
        positionals.add(a);
      }
    }
    return new CliArgs(Map.copyOf(options), List.copyOf(positionals));
  }

  public String option(String name) {
    return options.get(name);
  }

  /** Option {@code name} as a positive whole number, or null when absent; anything else is a one-line error. */
  public Long positiveLong(String name) {
    String v = options.get(name);
    if (v == null) {
      return null;
    }
    try {
      long n = Long.parseLong(v.strip());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below, with the option's name.
    }
    throw new IllegalArgumentException("option --" + name + ": '" + v + "' is not a positive whole number (e.g. --" + name + " 5000)");
  }
}
