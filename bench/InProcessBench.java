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
      double p50 = ms[runs / 2];
      double[] paced = new double[runs / 2];
      for (int i = 0; i < paced.length; i++) {
        sleepMs(2);
        long t0 = System.nanoTime();
        RunResult r = runner.run(new RunRequest("p" + i, "return 1+1", profile, null, Map.of(), HostBridge.NONE));
        paced[i] = (System.nanoTime() - t0) / 1e6;
        if (r.status() != RunStatus.OK) {
          throw new IllegalStateException("run failed: " + r);
        }
      }
      Arrays.sort(paced);
      typeScriptOverhead(runner, profile);
      System.out.printf("in-process run of 'return 1+1' (context create + prelude + eval + result + close):%n");
      System.out.printf("  cold first run %.1f ms; warm over %d runs: p50 %.3f ms, p95 %.3f ms, p99 %.3f ms%n",
          coldMs, runs, p50, ms[(int) (runs * 0.95)], ms[(int) (runs * 0.99)]);
      System.out.printf("  paced (2 ms between runs, as calls from an agent arrive) over %d runs: p50 %.3f ms, p95 %.3f ms%n",
          paced.length, paced[paced.length / 2], paced[(int) (paced.length * 0.95)]);
    }
  }

  static void sleepMs(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Added cost of a 200-line TypeScript script over the same script without types, warm. */
  static void typeScriptOverhead(SandboxRunner runner, Profile profile) {
    StringBuilder ts = new StringBuilder("interface Acc { sum: number }\nlet acc: Acc = { sum: 0 };\n");
    StringBuilder js = new StringBuilder("\nlet acc = { sum: 0 };\n");
    for (int i = 0; i < 197; i++) {
      ts.append("const v").append(i).append(": number = ").append(i).append(" * 2; acc.sum += v").append(i).append(";\n");
      js.append("const v").append(i).append(" = ").append(i).append(" * 2; acc.sum += v").append(i).append(";\n");
    }
    ts.append("return acc.sum as number;");
    js.append("return acc.sum;");
    double tsMs = median(runner, profile, ts.toString());
    double jsMs = median(runner, profile, js.toString());
    System.out.printf("200-line script: TypeScript p50 %.2f ms, same code as JavaScript p50 %.2f ms, added %.2f ms%n",
        tsMs, jsMs, tsMs - jsMs);
  }

  static double median(SandboxRunner runner, Profile profile, String code) {
    int n = 300;
    double[] ms = new double[n];
    for (int i = 0; i < 100; i++) {
      runner.run(new RunRequest("w" + i, code, profile, null, Map.of(), HostBridge.NONE));
    }
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      RunResult r = runner.run(new RunRequest("t" + i, code, profile, null, Map.of(), HostBridge.NONE));
      ms[i] = (System.nanoTime() - t0) / 1e6;
      if (r.status() != RunStatus.OK) {
        throw new IllegalStateException("run failed: " + r.error());
      }
    }
    Arrays.sort(ms);
    return ms[n / 2];
  }
}
