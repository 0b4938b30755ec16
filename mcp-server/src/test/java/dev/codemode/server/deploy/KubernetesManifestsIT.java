package dev.codemode.server.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.codemode.server.e2e.TsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/kubernetes offline: each overlay renders with kustomize ({@code kubectl kustomize}), every rendered
 * document validates against the Kubernetes API schemas (the kubernetes-models npm package, testkit/), the
 * deployment holds what the issue asks of it, and the ConfigMap's codemode.yaml passes {@code check-config}.
 */
class KubernetesManifestsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = TsClient.repoRoot();
  private static final Path K8S = ROOT.resolve("deploy/kubernetes");

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/production", "overlays/production-jail"})
  void eachOverlayRendersValidatesAndKeepsTheWalls(String overlay) throws Exception {
    List<JsonNode> docs = validated(render(overlay));
    Set<String> kinds = new TreeSet<>();
    docs.forEach(d -> kinds.add(d.path("kind").asText()));
    assertEquals(new TreeSet<>(List.of("ConfigMap", "Deployment", "HorizontalPodAutoscaler", "NetworkPolicy",
        "PodDisruptionBudget", "Secret", "Service", "ServiceAccount")), kinds);
    JsonNode deployment = one(docs, "Deployment");
    JsonNode pod = deployment.at("/spec/template/spec");
    JsonNode container = pod.at("/containers/0");
    assertTrue(deployment.at("/spec/replicas").asInt() >= 2, "at least two replicas");
    assertFalse(pod.at("/affinity/podAntiAffinity").isMissingNode(), "replicas are kept apart");
    assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
    assertEquals(imageUid(), pod.at("/securityContext/runAsUser").asInt(), "the image's own non-root user");
    assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), "no Kubernetes API token in the pod");
    JsonNode sc = container.path("securityContext");
    assertTrue(sc.path("readOnlyRootFilesystem").asBoolean());
    assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true));
    assertEquals("[\"ALL\"]", sc.at("/capabilities/drop").toString());
    String seccomp = overlay.endsWith("-jail") ? "Localhost" : "RuntimeDefault";
    assertEquals(seccomp, sc.at("/seccompProfile/type").asText());
    assertEquals(seccomp, pod.at("/securityContext/seccompProfile/type").asText());
    assertEquals("/readyz", container.at("/readinessProbe/httpGet/path").asText());
    assertEquals("/healthz", container.at("/livenessProbe/httpGet/path").asText());
    assertEquals("[\"serve\",\"--config\",\"/etc/codemode/codemode.yaml\",\"--http-if-auth\",\"0.0.0.0:8080\"]",
        container.path("args").toString());
    Set<String> mounts = new TreeSet<>();
    container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
    assertEquals(Set.of("/etc/codemode", "/tmp", "/var/lib/codemode"), mounts, "state and temp on volumes");
    if (overlay.startsWith("overlays/")) {
      assertEquals("gvisor", pod.path("runtimeClassName").asText());
      assertTrue(container.path("image").asText().startsWith("registry.example.com/platform/codemode:"));
      docs.forEach(d -> assertEquals("codemode", d.at("/metadata/namespace").asText(), d.path("kind").asText()));
    }

    // What the Deployment refers to is in the same render: the generated ConfigMap and the Secret's key.
    JsonNode configMap = one(docs, "ConfigMap");
    String configVolume = null;
    for (JsonNode v : pod.path("volumes")) {
      if (v.has("configMap")) {
        configVolume = v.at("/configMap/name").asText();
      }
    }
    assertEquals(configMap.at("/metadata/name").asText(), configVolume);
    JsonNode ref = container.at("/env/0/valueFrom/secretKeyRef");
    JsonNode secret = one(docs, "Secret");
    assertEquals(secret.at("/metadata/name").asText(), ref.path("name").asText());
    assertTrue(secret.at("/stringData").has(ref.path("key").asText()));
    String configText = configMap.at("/data/codemode.yaml").asText();
    assertTrue(configText.contains("${env:" + container.at("/env/0/name").asText() + "}"), configText);

    // SIGTERM: the preStop pause and the drain fit in the termination grace period.
    JsonNode config = new YAMLMapper().readTree(configText);
    long graceMs = config.at("/http/shutdown_grace_ms").asLong();
    long pauseS = Long.parseLong(container.at("/lifecycle/preStop/exec/command/1").asText());
    assertTrue(pod.path("terminationGracePeriodSeconds").asLong() * 1000 > graceMs + pauseS * 1000 + 5_000);

    JsonNode policy = one(docs, "NetworkPolicy");
    assertEquals("[\"Ingress\",\"Egress\"]", policy.at("/spec/policyTypes").toString());
    assertEquals(1, policy.at("/spec/ingress").size());
    assertEquals("agents", policy.at("/spec/ingress/0/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText());
    assertEquals(1, policy.at("/spec/ingress/0/from").size(), "ingress from the agents' namespace only");
    assertEquals("kube-dns", policy.at("/spec/egress/0/to/0/podSelector/matchLabels/k8s-app").asText());
    assertTrue(one(docs, "HorizontalPodAutoscaler").at("/spec/minReplicas").asInt() >= 2);
    assertEquals(1, one(docs, "PodDisruptionBudget").at("/spec/minAvailable").asInt());
    assertEquals(8080, one(docs, "Service").at("/spec/ports/0/port").asInt());

    checkConfig(configText, secret.at("/stringData/" + ref.path("key").asText()).asText(), container.at("/env/0/name").asText());
  }

  @Test
  void theValidatorRejectsAnInvalidManifestAndAnUnknownKind() throws Exception {
    Result r = node("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: two}\n---\n"
        + "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: y}\n");
    assertEquals(1, r.code, r.output);
    assertTrue(r.output.contains("spec/replicas must be integer"), r.output);
    assertTrue(r.output.contains("example.com/v1/Widget y: no schema"), r.output);
  }

  @Test
  void theJailSeccompProfileAllowsUserNamespacesAndDeniesTheKernelsRiskiestCalls() throws IOException {
    JsonNode profile = JSON.readTree(K8S.resolve("seccomp/codemode-userns.json").toFile());
    Set<String> denied = new TreeSet<>();
    profile.at("/syscalls/0/names").forEach(n -> denied.add(n.asText()));
    assertEquals("SCMP_ACT_ERRNO", profile.at("/syscalls/0/action").asText());
    for (String needed : List.of("unshare", "clone", "clone3", "mount", "pivot_root", "setns")) {
      assertFalse(denied.contains(needed), "bubblewrap needs " + needed);
    }
    assertTrue(denied.containsAll(List.of("bpf", "keyctl", "ptrace", "kexec_load", "init_module", "perf_event_open",
        "userfaultfd", "open_by_handle_at")), denied.toString());
  }

  private static String render(String overlay) throws Exception {
    Result r = run(List.of("kubectl", "kustomize", K8S.resolve(overlay).toString()), null, Map.of());
    assertEquals(0, r.code, "kustomize could not render " + overlay + " (kubectl is needed: apt-get install "
        + "kubernetes-client): " + r.output);
    return r.output;
  }

  private static List<JsonNode> validated(String yaml) throws Exception {
    Result r = node(yaml);
    JsonNode out = JSON.readTree(r.output);
    assertEquals(0, r.code, "schema errors: " + out.path("errors"));
    List<JsonNode> docs = new ArrayList<>();
    out.path("documents").forEach(docs::add);
    return docs;
  }

  private static Result node(String yaml) throws Exception {
    return run(List.of("node", ROOT.resolve("testkit/validate-kubernetes.mjs").toString()), yaml, Map.of());
  }

  private static void checkConfig(String configText, String hash, String envName) throws Exception {
    Path file = Files.createTempDirectory("codemode-k8s-it").resolve("codemode.yaml");
    Files.writeString(file, configText);
    Result r = run(List.of(ROOT.resolve("bin/codemode").toString(), "check-config", file.toString()), null,
        Map.of(envName, hash, "CODEMODE_NO_BUILD", "1"));
    assertEquals(0, r.code, r.output);
    assertTrue(r.output.startsWith("config OK"), r.output);
  }

  private static JsonNode one(List<JsonNode> docs, String kind) {
    List<JsonNode> found = docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    assertEquals(1, found.size(), kind);
    return found.get(0);
  }

  /** The non-root user the Containerfile creates. */
  private static int imageUid() throws IOException {
    Matcher m = Pattern.compile("(?m)^ARG CODEMODE_UID=(\\d+)$").matcher(Files.readString(ROOT.resolve("deploy/Containerfile")));
    assertTrue(m.find(), "deploy/Containerfile declares ARG CODEMODE_UID");
    return Integer.parseInt(m.group(1));
  }

  private record Result(int code, String output) {}

  private static Result run(List<String> command, String stdin, Map<String, String> env) throws Exception {
    Path out = Files.createTempFile("codemode-k8s", ".out");
    Path err = Files.createTempFile("codemode-k8s", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.resolve("testkit").toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command + " did not finish in 120 s");
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      return new Result(p.exitValue(), stdout.isEmpty() ? Files.readString(err, StandardCharsets.UTF_8) : stdout);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
