package dev.codemode.bindings;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Command line: {@code BindingsCli --tools FILE.json --out DIR} writes the generated bindings.
 * Exit codes: 0 written, 2 bad usage or bad input, 1 I/O failure.
 */
public final class BindingsCli {

  static final String USAGE = "usage: bindings-gen --tools FILE.json --out DIR\n"
      + "  FILE.json: {\"servers\":{\"<name>\":{\"description\":\"...\",\"tools\":[<MCP Tool objects>]}}}\n"
      + "  writes DIR/servers.d.ts, DIR/servers/<server>/index.js, index.d.ts, and DIR/sandbox.d.ts,\n"
      + "  tsconfig.json and typecheck.mjs (node typecheck.mjs [FILE...] type-checks scripts)\n";

  private BindingsCli() {}

  /** Runs the command and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit status instead of exiting. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    String tools = null;
    String dir = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        out.print(USAGE);
        return 0;
      }
      if ((arg.equals("--tools") || arg.equals("--out")) && i + 1 < args.length) {
        if (arg.equals("--tools")) {
          tools = args[++i];
        } else {
          dir = args[++i];
        }
      } else {
        err.print("bindings-gen: unexpected argument " + JsText.doubleQuoted(arg) + "\n" + USAGE);
        return 2;
      }
    }
    if (tools == null || dir == null) {
      err.print("bindings-gen: both --tools and --out are required\n" + USAGE);
      return 2;
    }
    return generate(Path.of(tools), Path.of(dir), out, err);
  }

  private static int generate(Path tools, Path dir, PrintStream out, PrintStream err) {
    List<ServerTools> servers;
    try {
      servers = ToolsFile.read(tools);
    } catch (ToolsFile.InvalidToolsFileException e) {
      err.println("bindings-gen: " + tools + ": " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("bindings-gen: cannot read " + tools + ": " + e);
      return 1;
    }
    GeneratedBindings bindings;
    try {
      bindings = SandboxTypes.addTo(new BindingsGenerator().generate(servers));
    } catch (IllegalArgumentException e) {
      err.println("bindings-gen: " + tools + ": " + e.getMessage());
      return 2;
    }
    try {
      BindingsWriter.write(bindings, dir);
    } catch (IOException e) {
      err.println("bindings-gen: cannot write to " + dir + ": " + e);
      return 1;
    }
    out.println("bindings-gen: wrote " + bindings.files().size() + " files for " + servers.size()
        + " servers to " + dir);
    return 0;
  }
}
