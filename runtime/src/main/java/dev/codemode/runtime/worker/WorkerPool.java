package dev.codemode.runtime.worker;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * A pool of {@code size} workers with the default heap size, idle or busy, started ahead of need. A
 * worker goes back to idle only after a clean run and while it has runs left; every other one is
 * killed and replaced in the background. When every pooled worker is busy, or a run needs another heap
 * size, a fresh worker is started for that run alone and killed afterwards.
 */
final class WorkerPool implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());
  static final long READY_TIMEOUT_MS = 60_000;
  private final WorkerLauncher launcher;
  private final int size;
  private final int maxRuns;
  private final int warmMemMb;
  private final boolean refill;
  private final Deque<WorkerProcess> idle = new ArrayDeque<>();
  private final Set<WorkerProcess> pooled = new HashSet<>();
  private final Set<WorkerProcess> live = ConcurrentHashMap.newKeySet();
  private final ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "codemode-worker-starter");
    t.setDaemon(true);
    return t;
  });
  private int starting;
  private boolean closed;
  private boolean filled;

  /**
   * Starts the first worker and waits until it has started (proving the launch works: JVM, jail, class
   * path), not for its warm-up; that and the rest of the pool come in the background, off the server's
   * start-up path. A run that comes first waits for the worker being warmed.
   */
  WorkerPool(WorkerLauncher launcher, int size, int maxRuns, int warmMemMb) throws IOException, InterruptedException {
    this(launcher, size, maxRuns, warmMemMb, true);
  }

  /**
   * As above; without {@code refill} (one run, then the end) a worker that goes is not replaced and no class
   * archive is trained for workers that will never start.
   */
  WorkerPool(WorkerLauncher launcher, int size, int maxRuns, int warmMemMb, boolean refill)
      throws IOException, InterruptedException {
    this.launcher = launcher;
    this.size = size;
    this.maxRuns = maxRuns;
    this.warmMemMb = warmMemMb;
    this.refill = refill;
    WorkerProcess first = launchOnStarter(warmMemMb);
    first.awaitStarted(READY_TIMEOUT_MS);
    synchronized (this) {
      starting++;
    }
    try {
      starter.execute(() -> {
        admit(first);
        if (refill) {
          train();
        }
      });
    } catch (RejectedExecutionException e) {
      first.kill();
      throw new IOException("the pool is closed");
    }
    fill();
  }

  /**
   * Launches a pooled worker on the starter thread, which lives as long as the pool: bubblewrap's
   * {@code --die-with-parent} kills a worker when the thread that started it ends, and the caller's thread
   * (a server's start-up thread) may end first.
   */
  private WorkerProcess launchOnStarter(int memMb) throws IOException, InterruptedException {
    try {
      return starter.submit(() -> launch(memMb)).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (RejectedExecutionException e) {
      throw new IOException("the pool is closed");
    }
  }

  /** Trains the class archive on a thread of its own: refills must not wait for it; workers started after it use the archive. */
  private void train() {
    Thread training = new Thread(() -> launcher.train(warmMemMb), "codemode-worker-training");
    training.setDaemon(true);
    training.start();
  }

  /**
   * A ready worker with a heap of {@code memMb}: a warm one if there is one; else the next pooled one
   * when one is already starting (a second JVM starting beside it would slow both on few cores); else one
   * started now for this run alone.
   */
  WorkerProcess take(int memMb) throws IOException, InterruptedException {
    long end = System.currentTimeMillis() + READY_TIMEOUT_MS;
    synchronized (this) {
      while (true) {
        for (Iterator<WorkerProcess> it = idle.iterator(); it.hasNext(); ) {
          WorkerProcess w = it.next();
          if (!w.alive()) {
            it.remove();
          } else if (w.memMb() == memMb) {
            it.remove();
            return w;
          }
        }
        long left = end - System.currentTimeMillis();
        if (memMb != warmMemMb || starting == 0 || closed || left <= 0) {
          break;
        }
        wait(left);
      }
    }
    WorkerProcess w = launch(memMb);
    w.awaitReady(READY_TIMEOUT_MS);
    return w;
  }

  /** Returns a worker after a run: kept when {@code reusable}, alive and not used up; else killed and replaced. */
  void release(WorkerProcess w, boolean reusable) {
    synchronized (this) {
      if (reusable && !closed && w.alive() && w.runs() < maxRuns && pooled.contains(w)) {
        // Most recently used first: its JIT is the warmest (a worker warms over thousands of runs), and the
        // others stay ready for runs that come at the same time.
        idle.addFirst(w);
        notifyAll();
        return;
      }
      pooled.remove(w);
    }
    w.kill();
    fill();
  }

  /** Waits until {@code size} warm workers are idle; returns whether they are. */
  synchronized boolean awaitWarm(long timeoutMs) throws InterruptedException {
    long end = System.currentTimeMillis() + timeoutMs;
    while (idleAlive() < size) {
      long left = end - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  /** Whether the pool has held {@code size} workers once and still holds one (idle or busy). */
  synchronized boolean warm() {
    return filled && !closed && !pooled.isEmpty();
  }

  synchronized List<WorkerProcess> idleWorkers() {
    return new ArrayList<>(idle);
  }

  List<WorkerProcess> liveWorkers() {
    return new ArrayList<>(live);
  }

  private int idleAlive() {
    int n = 0;
    for (WorkerProcess w : idle) {
      n += w.alive() ? 1 : 0;
    }
    return n;
  }

  private WorkerProcess launch(int memMb) throws IOException {
    WorkerProcess w = launcher.start(memMb);
    live.add(w);
    w.exit().thenRun(() -> onExit(w));
    return w;
  }

  private void onExit(WorkerProcess w) {
    live.remove(w);
    boolean wasIdle;
    boolean wasPooled;
    synchronized (this) {
      wasIdle = idle.remove(w);
      wasPooled = pooled.remove(w);
    }
    if (wasIdle) {
      LOG.log(System.Logger.Level.WARNING, "idle worker {0} exited; replacing it", w.pid());
    }
    if (wasPooled) {
      fill();
    }
  }

  /** Starts workers in the background until the pool holds {@code size}, counting busy and starting ones. */
  private void fill() {
    synchronized (this) {
      if (closed || (!refill && filled)) {
        return;
      }
      int missing = size - pooled.size() - starting;
      for (int i = 0; i < missing; i++) {
        starting++;
        try {
          starter.execute(this::startOne);
        } catch (RejectedExecutionException e) {
          starting--;
        }
      }
    }
  }

  private void startOne() {
    WorkerProcess w;
    try {
      w = launch(warmMemMb);
    } catch (IOException e) {
      logStartFailure(e);
      w = null;
    }
    admit(w);
  }

  private void logStartFailure(IOException e) {
    boolean closing;
    synchronized (this) {
      closing = closed;
    }
    // A start or warm-up cut short by close() is the pool shutting down, not a failure.
    LOG.log(closing ? System.Logger.Level.DEBUG : System.Logger.Level.ERROR, "a worker could not be started: {0}", e.getMessage());
  }

  /** Waits for a started worker's warm-up, then adds it to the pool; {@code w} null: its launch failed. */
  private void admit(WorkerProcess w) {
    if (w != null) {
      try {
        w.awaitReady(READY_TIMEOUT_MS);
      } catch (IOException e) {
        logStartFailure(e);
        w = null;
      }
    }
    synchronized (this) {
      starting--;
      notifyAll();
      if (w != null && !closed && w.alive()) {
        pooled.add(w);
        idle.addLast(w);
        filled |= pooled.size() >= size;
        return;
      }
    }
    if (w != null) {
      w.kill();
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      idle.clear();
      pooled.clear();
      notifyAll();
    }
    starter.shutdownNow();
    for (WorkerProcess w : liveWorkers()) {
      w.kill();
    }
    launcher.close();
  }
}
