import dev.codemode.policies.Profile;
import dev.codemode.policies.RuntimeSettings;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.Runner;
import dev.codemode.runtime.worker.Runners;
import dev.codemode.runtime.worker.WorkerPoolRunner;
import java.util.Arrays;
import java.util.Map;

/**
 * runtime.jit on vs off: jailed worker pools of both kinds, calls alternating between them, p50/p95 per
 * workload after a warm-up. Needs the packaged server (mcp-server/target/lib with lib/jit) and JDK 25.0.3.
 */
public class JitBench {
  private static final String[][] WORKLOADS = {
      {"trivial", "return 1+1"},
      {"compute fib(25)", "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) } return fib(25)"},
      {"data 2 MB JSON", "const rows = Array.from({length: 20000}, (_, i) => ({id: i, group: 'g' + (i % 50),"
          + " name: 'item-' + i, value: (i * 7919) % 1000, tags: ['a', 'b', 'c']}));"
          + " const text = JSON.stringify(rows); const back = JSON.parse(text); const by = {};"
          + " for (const r of back) { (by[r.group] ??= []).push(r.value) }"
          + " return Object.entries(by).map(([g, v]) => [g, v.sort((a, b) => a - b)[0]]).length + text.length"},
      {"loop 1e7 (async body)", "let s = 0; for (let i = 0; i < 1e7; i++) { s = (s + i) % 1000003 } return s"},
  };

  public static void main(String[] args) throws Exception {
    int warmup = Integer.parseInt(args.length > 0 ? args[0] : "60");
    int runs = Integer.parseInt(args.length > 1 ? args[1] : "40");
    Profile profile = ConfigLoader.loadDefault().defaultProfile();
    RuntimeSettings base = new RuntimeSettings(RuntimeSettings.Isolation.PROCESS, RuntimeSettings.Jail.BWRAP, 1, 8, 1,
        1_000_000);
    try (Runner off = Runners.create(base.withJit(RuntimeSettings.Jit.OFF), profile);
        Runner on = Runners.create(base.withJit(RuntimeSettings.Jit.ON), profile)) {
      ((WorkerPoolRunner) off).awaitWarm(300_000);
      ((WorkerPoolRunner) on).awaitWarm(300_000);
      System.out.println("off: " + off.describe());
      System.out.println("on:  " + on.describe());
      System.out.printf("load average at start: %s%n", loadAverage());
      for (String[] w : WORKLOADS) {
        double[] a = new double[runs];
        double[] b = new double[runs];
        for (int i = 0; i < warmup + runs; i++) {
          double x = time(off, profile, w[1]);
          double y = time(on, profile, w[1]);
          if (i >= warmup) {
            a[i - warmup] = x;
            b[i - warmup] = y;
          }
        }
        Arrays.sort(a);
        Arrays.sort(b);
        System.out.printf("%-24s jit off p50 %8.1f ms p95 %8.1f ms | jit on p50 %8.1f ms p95 %8.1f ms | ratio %.2f%n",
            w[0], a[runs / 2], a[(int) (runs * 0.95)], b[runs / 2], b[(int) (runs * 0.95)], b[runs / 2] / a[runs / 2]);
      }
      System.out.printf("load average at end: %s%n", loadAverage());
    }
  }

  private static double time(Runner r, Profile profile, String code) {
    long t0 = System.nanoTime();
    RunResult res = r.run(new RunRequest(java.util.UUID.randomUUID().toString(), code, profile, null, Map.of(), HostBridge.NONE));
    double ms = (System.nanoTime() - t0) / 1e6;
    if (res.status() != RunStatus.OK) {
      throw new IllegalStateException(code + " -> " + res.status() + " " + res.error() + " " + res.limit());
    }
    return ms;
  }

  private static String loadAverage() throws Exception {
    return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
  }
}
