import dev.codemode.policies.Profile;
import dev.codemode.policies.RuntimeSettings;
import dev.codemode.policies.config.ConfigLoader;
import dev.codemode.runtime.HostBridge;
import dev.codemode.runtime.RunRequest;
import dev.codemode.runtime.RunResult;
import dev.codemode.runtime.RunStatus;
import dev.codemode.runtime.Runner;
import dev.codemode.runtime.SandboxRunner;
import dev.codemode.runtime.worker.Runners;
import dev.codemode.runtime.worker.WorkerPoolRunner;
import java.util.Arrays;
import java.util.Map;

/** Worker mode vs in process: round trip per run (back to back and paced), and pool warm-up time. */
public class WorkerBench {
  public static void main(String[] args) throws Exception {
    int warmup = Integer.parseInt(args.length > 0 ? args[0] : "300");
    int runs = Integer.parseInt(args.length > 1 ? args[1] : "1000");
    String jail = args.length > 2 ? args[2] : "bwrap";
    int poolSize = 2;
    Profile profile = ConfigLoader.loadDefault().defaultProfile();
    long t0 = System.nanoTime();
    WorkerPoolRunner workers = (WorkerPoolRunner) Runners.create(
        new RuntimeSettings(RuntimeSettings.Isolation.PROCESS, RuntimeSettings.Jail.parse(jail).orElseThrow(), 1, 8, poolSize,
            1_000_000), profile);
    double firstMs = (System.nanoTime() - t0) / 1e6;
    workers.awaitWarm(300_000);
    double warmMs = (System.nanoTime() - t0) / 1e6;
    System.out.println(workers.describe());
    System.out.printf("pool warm-up: first worker ready after %.0f ms, pool of %d warm after %.0f ms%n",
        firstMs, poolSize, warmMs);
    try (SandboxRunner inProcess = SandboxRunner.builder().maxConcurrentRuns(1).build()) {
      // Twice: after a short warm-up (a pool just started), then with both JVMs' JIT warm (a few thousand
      // runs: the host's side of the protocol warms with use as much as the workers do).
      int[] warmups = {warmup, Integer.getInteger("warmRuns", 5000)};
      for (int phase = 0; phase < warmups.length; phase++) {
        System.out.printf("%s (%d more warm-up runs of each mode):%n",
            phase == 0 ? "just-started pool" : "warm pool", warmups[phase]);
        for (String code : new String[] {"return 1+1", "await fs.writeFile('a.txt', 'x'); return (await fs.readFile('a.txt', 'utf8')).length"}) {
          double[][] both = measure(inProcess, workers, profile, code, warmups[phase], runs, 0);
          double[] in = both[0];
          double[] out = both[1];
          System.out.printf("  '%s', %d runs each, back to back:%n", code, runs);
          System.out.printf("    in-process p50 %.3f ms, p95 %.3f ms%n", in[runs / 2], in[(int) (runs * 0.95)]);
          System.out.printf("    worker     p50 %.3f ms, p95 %.3f ms  (added per run: p50 %.3f ms)%n",
              out[runs / 2], out[(int) (runs * 0.95)], out[runs / 2] - in[runs / 2]);
          double[][] paced = measure(inProcess, workers, profile, code, 0, runs / 2, 2);
          int half = runs / 4;
          System.out.printf("    paced 2 ms apart: in-process p50 %.3f ms, worker p50 %.3f ms (added per run: p50 %.3f ms)%n",
              paced[0][half], paced[1][half], paced[1][half] - paced[0][half]);
        }
      }
      // A worker ended by a limit is replaced in the background; by now it starts from the class archive.
      Profile quick = new Profile(profile.name(), profile.fs(), profile.net(), profile.proc().tightenWall(200L),
          profile.tools(), profile.logging());
      workers.run(new RunRequest("limit", "while (true) {}", quick, null, Map.of(), HostBridge.NONE));
      long r0 = System.nanoTime();
      workers.awaitWarm(300_000);
      System.out.printf("replacement after a limit: pool warm again after %.0f ms%n", (System.nanoTime() - r0) / 1e6);
    } finally {
      workers.close();
    }
  }

  private static double[][] measure(Runner a, Runner b, Profile profile, String code, int warmup, int runs, long gapMs)
      throws InterruptedException {
    for (int i = 0; i < warmup; i++) {
      check(a.run(new RunRequest("wa" + i, code, profile, null, Map.of(), HostBridge.NONE)));
      check(b.run(new RunRequest("wb" + i, code, profile, null, Map.of(), HostBridge.NONE)));
    }
    // Alternating blocks, so both modes see the same machine load over the measurement, while inside a
    // block one mode runs alone (each prepares its next context in the background after a run).
    double[][] ms = new double[2][runs];
    int block = 50;
    for (int from = 0; from < runs; from += block) {
      int to = Math.min(runs, from + block);
      Runner[] order = (from / block) % 2 == 0 ? new Runner[] {a, b} : new Runner[] {b, a};
      for (Runner r : order) {
        for (int i = from; i < to; i++) {
          Thread.sleep(gapMs);
          long t0 = System.nanoTime();
          check(r.run(new RunRequest("r" + i, code, profile, null, Map.of(), HostBridge.NONE)));
          ms[r == a ? 0 : 1][i] = (System.nanoTime() - t0) / 1e6;
        }
      }
    }
    Arrays.sort(ms[0]);
    Arrays.sort(ms[1]);
    return ms;
  }

  private static void check(RunResult r) {
    if (r.status() != RunStatus.OK) {
      throw new IllegalStateException("run failed: " + r);
    }
  }
}
