import dev.codemode.policies.Profile;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.SandboxRunner;
import java.util.Arrays;
import java.util.Map;

/** In-process cost of one run (fresh context on the shared engine, prelude, eval, result, close). */
public class InProcessBench {
  public static void main(String[] args) {
    int warmup = Integer.parseInt(args.length > 0 ? args[0] : "500");
    int runs = Integer.parseInt(args.length > 1 ? args[1] : "2000");
    Profile profile = ConfigLoader.loadDefault().defaultProfile();
    try (SandboxRunner runner = SandboxRunner.builder().maxConcurrentRuns(1).build()) {
      long coldStart = System.nanoTime();
      runner.run(new RunRequest("cold", "return 1+1", profile, null, Map.of(), HostBridge.NONE));
      double coldMs = (System.nanoTime() - coldStart) / 1e6;
      for (int i = 0; i < warmup; i++) {
        runner.run(new RunRequest("w" + i, "return 1+1", profile, null, Map.of(), HostBridge.NONE));
      }
      double[] ms = new double[runs];
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        RunResult r = runner.run(new RunRequest("r" + i, "return 1+1", profile, null, Map.of(), HostBridge.NONE));
        ms[i] = (System.nanoTime() - t0) / 1e6;
        if (r.status() != RunStatus.OK) {
          throw new IllegalStateException("run failed: " + r);
        }
      }
      Arrays.sort(ms);
      System.out.printf("in-process run of 'return 1+1' (context create + prelude + eval + result + close):%n");
      System.out.printf("  cold first run %.1f ms; warm over %d runs: p50 %.3f ms, p95 %.3f ms, p99 %.3f ms%n",
          coldMs, runs, ms[runs / 2], ms[(int) (runs * 0.95)], ms[(int) (runs * 0.99)]);
    }
  }
}
