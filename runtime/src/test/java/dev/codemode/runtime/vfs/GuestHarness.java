package dev.codemode.runtime.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.policies.FsPolicy;
import dev.codemode.policies.Profile;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.SandboxRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Guest code run the way production runs it: a {@link SandboxRunner}, the prelude's one bridge envelope,
 * the embedded default profile's limits, and the test's file policy in place of the default's.
 */
final class GuestHarness implements AutoCloseable {
  private final SandboxRunner runner = SandboxRunner.builder().maxConcurrentRuns(1).build();
  private final Profile profile;
  private final List<Denial> denials = new ArrayList<>();

  GuestHarness(FsPolicy policy) {
    Profile defaults = ConfigLoader.loadDefault().defaultProfile();
    profile = new Profile(defaults.name(), policy, defaults.net(), defaults.proc(), defaults.tools(), defaults.logging());
  }

  /** Runs {@code code} (a function body or an ES module) as one run. */
  RunResult result(String code) {
    RunResult r = runner.run(new RunRequest(UUID.randomUUID().toString(), code, profile, null, Map.of(), HostBridge.NONE));
    denials.addAll(r.denials());
    return r;
  }

  /** Runs the body of an async function; returns the JSON of its result. */
  String run(String body) {
    return ok(result(body)).toString();
  }

  /** Runs an ES module; returns its default export as a string (null when it has none). */
  String module(String code) {
    JsonNode value = ok(result(code));
    return value.isNull() ? null : value.isTextual() ? value.textValue() : value.toString();
  }

  /** Runs code that must fail; returns its error's message and stack. */
  String failure(String code) {
    RunResult r = result(code);
    assertNotEquals(RunStatus.OK, r.status(), () -> "expected a failure, got " + r.result());
    return r.error().message() + (r.error().stack() == null ? "" : "\n" + r.error().stack());
  }

  /** The denials of every run so far, in order. */
  List<Denial> denials() {
    return List.copyOf(denials);
  }

  private static JsonNode ok(RunResult r) {
    assertEquals(RunStatus.OK, r.status(), () -> String.valueOf(r.error()) + " " + r.limit());
    return r.result();
  }

  @Override
  public void close() {
    runner.close();
  }
}
