package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.server.auth.TokenHash;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Builds the image from deploy/Containerfile on a local Debian base (mmdebstrap; the tarball is cached
 * outside the clone, keyed by its package list) and runs it with buildah, as its non-root user. Inside a
 * container bubblewrap cannot create namespaces, exactly as under Docker's or Kubernetes' default seccomp
 * profile: the server must say so and run agent code in unjailed worker JVMs, never in process.
 */
class ContainerImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUITE = "bookworm";
  /** The local base: a Java 17 runtime and bubblewrap (util-linux, for prlimit, is in every Debian root). */
  private static final List<String> BASE_PACKAGES = List.of("openjdk-17-jre-headless", "bubblewrap");
  private static final String TOKEN = "container-token-0123456789abcdef";
  /** Per test JVM, so that two builds on one machine do not race for a tag; removed afterwards (the base is kept). */
  private static final String IMAGE = "localhost/codemode-ci:test-" + ProcessHandle.current().pid();

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void theImageRunsCodeAsItsNonRootUserAndServesHttpFromUnjailedWorkers() throws Exception {
    if (ContainerTool.onPath("buildah") == null) {
      System.err.println("\n!!!!!!!! ContainerImageIT SKIPPED: buildah is not installed; the container image was NOT"
          + " built or tested (apt-get install buildah podman mmdebstrap) !!!!!!!!\n");
      Assumptions.abort("buildah is not installed");
    }
    Path root = TsClient.repoRoot();
    for (String built : List.of("codemode.jar", "lib", "codemode-sbom.json")) {
      assertTrue(Files.exists(root.resolve("mcp-server/target").resolve(built)), "package the server first: " + built);
    }
    long t0 = System.nanoTime();
    String base = baseImage();
    long t1 = System.nanoTime();
    String ctr = null;
    try {
      ContainerTool.run(180, "buildah", "bud", "--isolation", "chroot", "--quiet", "--build-arg", "BASE=" + base,
          "-f", root.resolve("deploy/Containerfile").toString(), "-t", IMAGE, root.toString());
      ctr = ContainerTool.run(60, "buildah", "from", "--quiet", IMAGE).trim();
      long t2 = System.nanoTime();
      imageHoldsWhatItShould(ctr);
      localRun(ctr);
      long t3 = System.nanoTime();
      served(ctr);
      long t4 = System.nanoTime();
      writesOnlyToItsVolumes(ctr);
      System.err.printf("ContainerImageIT: base image %d s, image build %d s, codemode run %d s, serve + calls + drain %d s%n",
          seconds(t1 - t0), seconds(t2 - t1), seconds(t3 - t2), seconds(t4 - t3));
    } finally {
      if (ctr != null) {
        ContainerTool.exec(60, "buildah", "rm", ctr);
      }
      ContainerTool.exec(60, "buildah", "rmi", "--force", IMAGE);
    }
  }

  private static long seconds(long nanos) {
    return TimeUnit.NANOSECONDS.toSeconds(nanos);
  }

  private static void imageHoldsWhatItShould(String ctr) throws Exception {
    assertEquals("10001", sh(ctr, "id -u").trim(), "the image runs as its non-root user");
    JsonNode sbom = JSON.readTree(sh(ctr, "cat /opt/codemode/sbom/codemode.cdx.json"));
    assertEquals("CycloneDX", sbom.path("bomFormat").asText());
    assertTrue(sbom.path("components").size() > 20, "the SBOM lists the jars in the image");
    String tools = sh(ctr, "for t in bwrap prlimit java javac mvn gcc cc make; do command -v $t || true; done;"
        + " ls /var/lib/apt/lists | grep -v '^partial$' | grep -v '^lock$' || true; ls /var/cache/apt/archives/*.deb 2>/dev/null || true");
    assertTrue(tools.contains("/bwrap") && tools.contains("/prlimit") && tools.contains("/java"), tools);
    for (String absent : List.of("javac", "mvn", "gcc", "/cc", "make", ".deb", "_Packages", "InRelease")) {
      assertFalse(tools.contains(absent), "no build tools or package caches in the image: " + tools);
    }
  }

  private static void localRun(String ctr) throws Exception {
    String out = sh(ctr, "echo 'return 6*7' | codemode run --config /etc/codemode/codemode.yaml - 2>/tmp/run.log;"
        + " echo; cat /tmp/run.log >&2");
    JsonNode result = JSON.readTree(out.substring(out.indexOf("{\n")));
    assertEquals("ok", result.path("status").asText(), out);
    assertEquals(42, result.path("result").asInt(), out);
    String log = sh(ctr, "cat /tmp/run.log");
    assertTrue(log.contains("worker process UP; bubblewrap jail DOWN"), "the start-up log names the walls: " + log);
    assertTrue(log.contains("SECOND WALL DOWN"), log);
  }

  private static void served(String ctr) throws Exception {
    Path cfg = Files.createTempDirectory("codemode-image-it").resolve("codemode.yaml");
    Files.writeString(cfg, """
        auth:
          tokens:
            - {principal: platform, sha256: '${env:CODEMODE_TOKEN_SHA256_PLATFORM}', profiles: [default]}
        """);
    ContainerTool.run(60, "buildah", "copy", "--chmod", "0644", ctr, cfg.toString(), "/etc/codemode/codemode.yaml");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = Files.createTempFile("codemode-image-serve", ".log");
    // The image's own command line, on a loopback port of the host network instead of 0.0.0.0:8080.
    // The token's hash comes from the environment, as a Kubernetes Secret provides it (deploy/kubernetes).
    List<String> command = ContainerTool.inContainer(ctr, Map.of("CODEMODE_TOKEN_SHA256_PLATFORM", TokenHash.configForm(TOKEN)),
        "codemode", "serve", "--config", "/etc/codemode/codemode.yaml", "--http-if-auth", "127.0.0.1:" + port);
    Process server = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    String base = "http://127.0.0.1:" + port;
    try (TsClient client = TsClient.start()) {
      JsonNode ready = awaitReady(base, server, log);
      assertEquals("process", ready.path("isolation").asText(), "unjailed worker JVMs, not in process: " + ready);
      assertEquals("none", ready.path("jail").asText(), ready.toString());
      client.connectHttp("platform", base + "/mcp", Map.of("Authorization", "Bearer " + TOKEN));
      assertEquals(42, call(client, "return 6*7", Map.of()).at("/structuredContent/result").asInt());
      JsonNode bomb = call(client, "let a = []; for (;;) a.push(new Array(1e6).fill(1))", Map.of());
      assertEquals("limit", bomb.at("/structuredContent/status").asText(), bomb.toString());
      assertEquals("memory", bomb.at("/structuredContent/limit").asText(), bomb.toString());
      JsonNode loop = call(client, "while (true) {}", Map.of("timeout_ms", 3000));
      assertEquals("limit", loop.at("/structuredContent/status").asText(), loop.toString());
      assertEquals(7, call(client, "return 3 + 4", Map.of()).at("/structuredContent/result").asInt(),
          "the next call works after the limits");
      String metrics = RawHttp.send("GET", base + "/metrics", Map.of("Authorization", "Bearer " + TOKEN), null, false).body();
      assertTrue(metrics.contains("codemode_isolation{isolation=\"process\",jail=\"none\"} 1.0"), metrics);
      // SIGTERM reaches the server JVM (a descendant of buildah run in the host's pid namespace): ordered shutdown.
      server.descendants().filter(ContainerImageIT::isServerJvm).forEach(ProcessHandle::destroy);
      assertTrue(server.waitFor(90, TimeUnit.SECONDS), "the server did not stop on SIGTERM: " + Files.readString(log));
      String text = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue(text.contains("walls: GraalJS context UP; worker process UP; bubblewrap jail DOWN"), text);
      assertTrue(text.contains("not ready; refusing new requests") && text.contains("shut down"), text);
    } finally {
      server.descendants().forEach(ProcessHandle::destroyForcibly);
      server.destroyForcibly();
    }
  }

  private static void writesOnlyToItsVolumes(String ctr) throws Exception {
    // Whatever the server, its workers and codemode run wrote is under the declared volumes, so the root file
    // system can be mounted read-only.
    String written = sh(ctr, "find / -xdev -user 10001 -newer /opt/codemode/codemode.jar 2>/dev/null"
        + " | grep -v -e '^/tmp' -e '^/var/lib/codemode' || true");
    assertEquals("", written.trim(), "files written outside /tmp and /var/lib/codemode");
  }

  private static JsonNode call(TsClient client, String code, Map<String, Object> extra) throws Exception {
    return TsClient.value(client.executeAs("platform", code, extra).get(120, TimeUnit.SECONDS));
  }

  private static JsonNode awaitReady(String base, Process server, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new AssertionError("the server in the container exited: " + Files.readString(log));
      }
      try {
        HttpResponse<String> r = RawHttp.send("GET", base + "/readyz", Map.of(), null, false);
        if (r.statusCode() == 200) {
          return JSON.readTree(r.body());
        }
      } catch (IOException notYetListening) {
        // the JVM is still starting
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the server in the container never became ready: " + Files.readString(log));
  }

  private static boolean isServerJvm(ProcessHandle p) {
    return p.info().commandLine().map(c -> c.contains("/opt/codemode/codemode.jar") && c.contains(" serve ")).orElse(false);
  }

  private static String sh(String ctr, String script) throws Exception {
    return ContainerTool.run(120, ContainerTool.inContainer(ctr, "sh", "-c", script).toArray(String[]::new));
  }

  /** The local Debian base image, built from the cached mmdebstrap tarball (made once per package list). */
  private static String baseImage() throws Exception {
    String spec = SUITE + " " + String.join(",", BASE_PACKAGES);
    String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spec.getBytes(StandardCharsets.UTF_8)))
        .substring(0, 16);
    String image = "localhost/codemode-ci-base:" + key;
    if (ContainerTool.exec(60, "buildah", "inspect", "--type", "image", image).code() == 0) {
      return image;
    }
    Path cache = Path.of(System.getenv().getOrDefault("CODEMODE_CI_CACHE", "/var/cache/codemode-ci"));
    Path tar = cache.resolve("base-" + key + ".tar");
    if (!Files.isRegularFile(tar)) {
      Files.createDirectories(cache);
      Path partial = cache.resolve("base-" + key + ".tar.partial");
      ContainerTool.run(240, "mmdebstrap", "--quiet", "--variant=apt", "--include=" + String.join(",", BASE_PACKAGES),
          SUITE, partial.toString());
      Files.move(partial, tar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    ContainerTool.run(180, "podman", "import", "--quiet", tar.toString(), image);
    return image;
  }
}
