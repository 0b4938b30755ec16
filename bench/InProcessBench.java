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
      System.out.printf("in-process run of 'return 1+1' (context create + prelude + eval + result + close):%n");
      System.out.printf("  cold first run %.1f ms%n", coldMs);
      // Twice: after a short warm-up, then with the JIT warm (the interpreter's own code takes thousands
      // of runs to compile fully on a JVM without the Graal compiler).
      int[] warmups = {warmup, Integer.getInteger("warmRuns", 10_000)};
      for (int w : warmups) {
        for (int i = 0; i < w; i++) {
          runner.run(new RunRequest("w" + i, "return 1+1", profile, null, Map.of(), HostBridge.NONE));
        }
        double[] ms = times(runner, profile, runs, 0);
        double[] paced = times(runner, profile, runs / 2, 2);
        System.out.printf("  after %d more warm-up runs: back to back over %d runs p50 %.3f ms, p95 %.3f ms, p99 %.3f ms;%n",
            w, runs, ms[runs / 2], ms[(int) (runs * 0.95)], ms[(int) (runs * 0.99)]);
        System.out.printf("    paced 2 ms apart (as calls from an agent arrive) over %d runs: p50 %.3f ms, p95 %.3f ms%n",
            paced.length, paced[paced.length / 2], paced[(int) (paced.length * 0.95)]);
      }
      typeScriptOverhead(runner, profile);
    }
  }

  /** Sorted wall times of {@code n} runs of a trivial script, {@code gapMs} apart. */
  static double[] times(SandboxRunner runner, Profile profile, int n, long gapMs) {
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      sleepMs(gapMs);
      long t0 = System.nanoTime();
      RunResult r = runner.run(new RunRequest("r" + i, "return 1+1", profile, null, Map.of(), HostBridge.NONE));
      ms[i] = (System.nanoTime() - t0) / 1e6;
      if (r.status() != RunStatus.OK) {
        throw new IllegalStateException("run failed: " + r);
      }
    }
    Arrays.sort(ms);
    return ms;
  }

  static void sleepMs(long ms) {
    if (ms <= 0) {
      return;
    }
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
