package dev.codemode.runtime.vfs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.policies.FsPolicy;
import dev.codemode.runtime.RunJournal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * A CONSTRAINED context wired the way the runtime will wire it: the sandbox file system for
 * imports, and fs.js as global {@code fs} over a synchronous {@code call} into {@link FsOps}.
 */
final class GuestHarness implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Engine ENGINE = Engine.newBuilder("js")
      .sandbox(SandboxPolicy.CONSTRAINED)
      .out(OutputStream.nullOutputStream())
      .err(OutputStream.nullOutputStream())
      .option("engine.WarnInterpreterOnly", "false")
      .build();
  private static final String WIRE = "(function (factory, hostCall) {"
      + "  return factory(function (op, args) {"
      + "    const r = JSON.parse(hostCall(op, JSON.stringify(args)));"
      + "    if (r.ok) return Promise.resolve(r.value);"
      + "    const e = new Error(r.message); e.code = r.code; return Promise.reject(e);"
      + "  });"
      + "})";

  final RunJournal journal = new RunJournal();
  final VirtualFiles files;
  final FsOps ops;
  final SandboxFileSystem fileSystem;
  final Context context;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  GuestHarness(FsPolicy policy) {
    files = new VirtualFiles(policy, journal);
    ops = new FsOps(files, 1 << 20);
    fileSystem = new SandboxFileSystem(files, 1 << 20);
    context = Context.newBuilder("js")
        .engine(ENGINE)
        .sandbox(SandboxPolicy.CONSTRAINED)
        .out(output)
        .err(output)
        .allowHostAccess(HostAccess.CONSTRAINED)
        .allowIO(IOAccess.newBuilder().fileSystem(fileSystem).build())
        .option("js.esm-eval-returns-exports", "true")
        .build();
    ProxyExecutable hostCall = args -> reply(args[0].asString(), args[1].asString());
    Value factory = context.eval(Source.create("js", fsJs()));
    Value fs = context.eval("js", WIRE).execute(factory, hostCall);
    context.getBindings("js").putMember("fs", fs);
  }

  static String fsJs() {
    try (InputStream in = GuestHarness.class.getResourceAsStream("/dev/codemode/runtime/js/fs.js")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String reply(String op, String argsJson) {
    ObjectNode r = JSON.createObjectNode();
    try {
      JsonNode value = ops.invoke(op, JSON.readTree(argsJson));
      r.put("ok", true).set("value", value);
    } catch (FsException e) {
      r.put("ok", false).put("code", e.code()).put("message", e.getMessage());
    } catch (IOException e) {
      r.put("ok", false).put("code", "EINVAL").put("message", "bad JSON");
    }
    return r.toString();
  }

  /** Runs the body of an async function as a module; returns the JSON of its result. */
  String run(String body) {
    return module("export default JSON.stringify(await (async () => {\n" + body + "\n})());");
  }

  /** Evaluates an ES module (no path, as the runtime will) and returns its default export as a string. */
  String module(String code) {
    Source source = Source.newBuilder("js", code, "main.mjs").mimeType("application/javascript+module").buildLiteral();
    Value ns = context.eval(source);
    Value result = ns.getMember("default");
    return result == null || result.isNull() ? null : result.toString();
  }

  @Override
  public void close() {
    context.close();
  }
}
