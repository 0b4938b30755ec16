package dev.codemode.server.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A temporary codemode config with the three real npm servers from testkit/node_modules. */
public record DownstreamConfig(Path dir, Path config, Path memoryFile, Path filesRoot) {

  /** Writes the config under a fresh temp dir; {@code memory} reads its file path from {@code ${env:CODEMODE_IT_MEMORY_FILE}}. */
  public static DownstreamConfig create() throws IOException {
    Path dir = Files.createTempDirectory("codemode-broker-it").toRealPath();
    Path files = Files.createDirectories(dir.resolve("files"));
    Path memory = dir.resolve("memory.jsonl");
    Path npm = TsClient.repoRoot().resolve("testkit/node_modules/@modelcontextprotocol");
    String yaml = """
        profiles:
          default:
            tools: {allow: ['everything.*', 'memory.*', 'filesystem.*']}
          memory-only:
            tools: {allow: ['memory.*']}
        servers:
          everything:
            command: node
            args: ['%s', 'stdio']
            call_timeout_ms: 5000
          memory:
            command: node
            args: ['%s']
            env: {MEMORY_FILE_PATH: '${env:CODEMODE_IT_MEMORY_FILE}'}
          filesystem:
            command: node
            args: ['%s', '%s']
            start: lazy
        """.formatted(npm.resolve("server-everything/dist/index.js"), npm.resolve("server-memory/dist/index.js"),
        npm.resolve("server-filesystem/dist/index.js"), files);
    Path config = dir.resolve("codemode.yaml");
    Files.writeString(config, yaml);
    return new DownstreamConfig(dir, config, memory, files);
  }
}
