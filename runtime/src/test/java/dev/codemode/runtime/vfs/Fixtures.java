package dev.codemode.runtime.vfs;

import dev.codemode.policies.FsPolicy;
import dev.codemode.policies.MountSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A host folder for /deps with the traps the tests spring, and the example policy over it. */
final class Fixtures {
  static final String SECRET = "SECRET-KEY-4242";
  static final String ENV_SECRET = "API_TOKEN=hunter2";
  static final List<String> DENY = List.of("**/.env", "**/.ssh/**", "**/id_*", "/home/**");

  private Fixtures() {}

  /**
   * Under {@code root}: {@code deps/} (the mount) and {@code home/.ssh/id_rsa} plus
   * {@code outside.js} outside it, with symlinks from inside the mount to both.
   */
  static Path hostTree(Path root) throws IOException {
    Path deps = Files.createDirectories(root.resolve("deps"));
    Path ssh = Files.createDirectories(root.resolve("home/.ssh"));
    write(ssh.resolve("id_rsa"), SECRET);
    write(root.resolve("outside.js"), "export default '" + SECRET + "';");
    write(root.resolve("outside.json"), "{\"secret\":\"" + SECRET + "\"}");
    write(deps.resolve("config.json"), "{\"name\":\"demo\"}");
    write(deps.resolve(".env"), ENV_SECRET);
    write(deps.resolve("lib.js"), "export const answer = 42; export default 'from deps';");
    Files.createDirectories(deps.resolve("sub/deeper"));
    write(deps.resolve("sub/deeper/.env"), ENV_SECRET);
    write(deps.resolve("sub/notes.txt"), "notes");
    Files.createSymbolicLink(deps.resolve("alias.json"), Path.of("config.json"));
    Files.createSymbolicLink(deps.resolve("innocent.txt"), Path.of(".env"));
    Files.createSymbolicLink(deps.resolve("readme.md"), ssh.resolve("id_rsa"));
    Files.createSymbolicLink(deps.resolve("escape.js"), Path.of("../outside.js"));
    Files.createSymbolicLink(deps.resolve("escape.json"), Path.of("../outside.json"));
    Files.createSymbolicLink(deps.resolve("keys"), ssh);
    Files.createSymbolicLink(deps.resolve("up"), Path.of(".."));
    Files.createSymbolicLink(deps.resolve("dangling"), root.resolve("nowhere/x"));
    Files.createSymbolicLink(deps.resolve("absolute-inside.json"), deps.toRealPath().resolve("config.json"));
    Files.createSymbolicLink(deps.resolve("loop"), Path.of("loop"));
    return deps;
  }

  static FsPolicy policy(Path deps, long maxBytes, int maxFiles) {
    return new FsPolicy(List.of(
        new MountSpec("/workspace", true, null),
        new MountSpec("/deps", false, deps.toString()),
        new MountSpec("/tmp", true, null)), DENY, maxBytes, maxFiles);
  }

  static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
