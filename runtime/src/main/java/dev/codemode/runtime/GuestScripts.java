package dev.codemode.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.policies.ProcLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import dev.codemode.runtime.vfs.SandboxFileSystem;
import org.graalvm.polyglot.Source;

/** The trusted scripts every run evaluates, loaded once and cached so the engine reuses their parsed code. */
final class GuestScripts {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Source prelude;
  private final Source moduleLoader;
  private final Source fsApi;
  private final Source timers;

  GuestScripts() {
    this.prelude = Source.newBuilder("js", resource("js/prelude.js"), "codemode-prelude.js").buildLiteral();
    this.moduleLoader = Source.newBuilder("js", "import('" + SandboxFileSystem.MAIN_MODULE + "')",
        "codemode-module-loader.js").buildLiteral();
    this.fsApi = Source.newBuilder("js", resource("js/fs.js"), "codemode-fs.js").buildLiteral();
    this.timers = Source.newBuilder("js", resource("js/timers.js"), "codemode-timers.js").buildLiteral();
  }

  Source prelude() {
    return prelude;
  }

  Source fsApi() {
    return fsApi;
  }

  /** Installs the timer globals; called with the host's arm and disarm functions. */
  Source timers() {
    return timers;
  }

  Source moduleLoader() {
    return moduleLoader;
  }

  /** The prelude's configuration: console and result caps, and the tools the guest may see. */
  String configJson(ProcLimits limits, Map<String, Map<String, String>> servers) {
    ObjectNode cfg = JSON.createObjectNode();
    cfg.put("maxOutputChars", limits.maxOutputBytes());
    cfg.put("maxResultChars", limits.maxResultBytes());
    ObjectNode s = cfg.putObject("servers");
    new TreeMap<>(servers).forEach((server, tools) -> {
      ObjectNode t = s.putObject(server);
      new TreeMap<>(tools).forEach(t::put);
    });
    return cfg.toString();
  }

  static String resource(String name) {
    try (InputStream in = GuestScripts.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
