package dev.codemode.server.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The codemode.yaml of an end-to-end test: the preambles the tests share written once (the default
 * profile's /workspace, /tmp and /deps mounts; the npm reference servers from testkit), each test's own
 * YAML, written at column 0, placed under them. The result is plain YAML, as a user would write it.
 */
public final class TestConfig {
  private static final String DEPS_MOUNTS = """
      fs:
        mounts:
          - {path: /workspace, rw: true}
          - {path: /tmp, rw: true}
          - {path: /deps, source: ./deps}
      """;
  private final StringBuilder defaultProfile = new StringBuilder();
  private final StringBuilder profiles = new StringBuilder();
  private final StringBuilder servers = new StringBuilder();
  private final StringBuilder rest = new StringBuilder();

  private TestConfig() {}

  /** A config whose default profile mounts /workspace and /tmp in memory and /deps from ./deps beside the file. */
  public static TestConfig withDeps() {
    return withDeps("");
  }

  /** As {@link #withDeps()}, with {@code fsKeys} (such as {@code max_bytes}) beside the mounts. */
  public static TestConfig withDeps(String fsKeys) {
    TestConfig config = new TestConfig();
    config.defaultProfile.append(DEPS_MOUNTS).append(fsKeys.indent(2));
    return config;
  }

  /** The entry point of the npm reference server {@code name} ({@code server-memory}) in testkit. */
  public static Path npmServer(String name) {
    return TsClient.repoRoot().resolve("testkit/node_modules/@modelcontextprotocol").resolve(name).resolve("dist/index.js");
  }

  /** More keys of the default profile. */
  public TestConfig defaultProfile(String yaml) {
    defaultProfile.append(yaml);
    return this;
  }

  /** More profiles: each name with its keys. */
  public TestConfig profiles(String yaml) {
    profiles.append(yaml);
    return this;
  }

  /** The memory reference server as {@code memory}, keeping its graph in {@code memoryFile}. */
  public TestConfig memoryServer(Path memoryFile) {
    servers.append("memory: {command: node, args: ['").append(npmServer("server-memory"))
        .append("'], env: {MEMORY_FILE_PATH: '").append(memoryFile).append("'}}\n");
    return this;
  }

  /** Top-level keys after the profiles and servers ({@code audit}, {@code runtime}, ...). */
  public TestConfig with(String yaml) {
    rest.append(yaml);
    return this;
  }

  /**
   * The YAML text. With {@value #JIT_PROPERTY} set to {@code on} or {@code off} (the second run of the escape
   * suite), workers run with that {@code runtime.jit}: a test's own block-style {@code runtime:} section gets
   * the key added.
   */
  public String yaml() {
    StringBuilder out = new StringBuilder("profiles:\n  default:\n").append(defaultProfile.toString().indent(4))
        .append(profiles.toString().indent(2));
    if (servers.length() > 0) {
      out.append("servers:\n").append(servers.toString().indent(2));
    }
    String tail = rest.toString();
    String jit = System.getProperty(JIT_PROPERTY, "");
    if (!jit.isEmpty()) {
      if (tail.contains("\nruntime: {") || tail.startsWith("runtime: {")) {
        throw new IllegalStateException("write runtime: as a block for the JIT run to add its key");
      }
      tail = tail.startsWith("runtime:\n") || tail.contains("\nruntime:\n")
          ? tail.replaceFirst("(^|\n)runtime:\n", "$1runtime:\n  jit: '" + jit + "'\n")
          : tail + "runtime:\n  jit: '" + jit + "'\n";
    }
    return out.append(tail).toString();
  }

  /** The system property ({@code on} or {@code off}) that sets a suite's {@code runtime.jit}. */
  public static final String JIT_PROPERTY = "codemode.test.jit";

  /** Writes the YAML to {@code file}; returns {@code file}. */
  public Path write(Path file) throws IOException {
    return Files.writeString(file, yaml());
  }
}
