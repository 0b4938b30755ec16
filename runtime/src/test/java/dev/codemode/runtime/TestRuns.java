package dev.codemode.runtime;

import dev.codemode.policies.FsPolicy;
import dev.codemode.policies.LoggingPolicy;
import dev.codemode.policies.MountSpec;
import dev.codemode.policies.NetPolicy;
import dev.codemode.policies.ProcLimits;
import dev.codemode.policies.Profile;
import dev.codemode.policies.ToolPolicy;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test fixtures: profiles with chosen limits and one-line runs. */
public final class TestRuns {
  private TestRuns() {}

  public static Profile profile(ProcLimits limits) {
    return new Profile("default",
        new FsPolicy(List.of(new MountSpec("/workspace", true, null), new MountSpec("/tmp", true, null)),
            List.of("**/.env"), 1 << 20, 100),
        new NetPolicy(false, List.of(), List.of(), Map.of(), 0, 0, 0, 1000, 1),
        limits, new ToolPolicy(List.of(), List.of()), new LoggingPolicy(1.0, true));
  }

  public static ProcLimits limits() {
    return new ProcLimits(20_000, 10_000, 256, 4096, 65_536, 50_000_000L, 500, 200);
  }

  public static RunRequest request(String code) {
    return request(code, limits(), HostBridge.NONE);
  }

  public static RunRequest request(String code, ProcLimits limits, HostBridge bridge) {
    return new RunRequest(UUID.randomUUID().toString(), code, profile(limits), null, Map.of(), bridge);
  }
}
