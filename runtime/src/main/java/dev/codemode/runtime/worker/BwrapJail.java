package dev.codemode.runtime.worker;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The bubblewrap command line a worker JVM starts under: new user (uid/gid 65534), network (only
 * {@code lo}), pid, ipc, uts and cgroup namespaces; an empty read-only root holding only the JDK, the
 * shared libraries the JVM has loaded, and the application's class path under {@code /app/cp}; private
 * {@code /proc}, {@code /dev} and a size-capped tmpfs {@code /tmp} (with the Truffle cache); every
 * capability dropped; a cleared environment; dies with its parent; the {@link SeccompFilter} loaded from
 * file descriptor {@value #SECCOMP_FD}, which the worker's launcher opens on {@link #seccompFile()}.
 */
final class BwrapJail {
  /** Where the class path appears inside the jail. */
  static final String APP_DIR = "/app/cp";
  /** Where the JIT's upgrade module path appears inside the jail. */
  static final String UPGRADE_DIR = "/app/up";
  /** Truffle's resource cache (it unpacks a native library there on first use), private to each worker. */
  static final String CACHE_DIR = "/tmp/truffle-cache";
  static final long TMP_BYTES = 64L << 20;
  static final int UID = 65534;
  /** The descriptor bwrap reads the seccomp program from. */
  static final int SECCOMP_FD = 3;
  /** What bwrap itself adds to the cleared environment: {@code --chdir} sets PWD. */
  static final Map<String, String> ADDED_ENVIRONMENT = Map.of("PWD", "/tmp");
  /** Only system libraries are bound; a library mapped from anywhere else (a cache under $HOME) is not. */
  private static final List<Path> SYSTEM_LIBRARY_DIRS =
      Stream.of("/usr/lib", "/usr/lib64", "/usr/lib32", "/lib", "/lib64", "/lib32").map(Path::of).toList();

  private final Path bwrap;
  private final Path seccompFile;
  private final List<String> prefix;
  private final List<String> classpathInJail;
  private final List<String> upgradePathInJail;

  BwrapJail(Path bwrap, Path javaHome, List<Path> classpath, Map<String, String> env) throws IOException {
    this(bwrap, javaHome, classpath, List.of(), env);
  }

  /** {@code upgradePath}: jars for {@code --upgrade-module-path} (JIT mode), bound read-only like the class path. */
  BwrapJail(Path bwrap, Path javaHome, List<Path> classpath, List<Path> upgradePath, Map<String, String> env)
      throws IOException {
    this.bwrap = bwrap;
    List<String> a = new ArrayList<>(List.of(bwrap.toString(),
        "--unshare-user", "--uid", Integer.toString(UID), "--gid", Integer.toString(UID),
        "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
        "--hostname", "codemode-worker", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv",
        "--seccomp", Integer.toString(SECCOMP_FD)));
    this.seccompFile = writeSeccompProgram();
    env.forEach((k, v) -> a.addAll(List.of("--setenv", k, v)));
    Binds binds = new Binds();
    binds.dir(javaHome);
    // Debian's JDK links its configuration to /etc/java-NN-openjdk and its CA store to /etc/ssl: bind those targets.
    try (Stream<Path> walk = Files.walk(javaHome)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isSymbolicLink(p) && Files.exists(p)) {
          Path target = p.toRealPath();
          if (!target.startsWith(javaHome)) {
            binds.file(target);
          }
        }
      }
    }
    // The loader finds libraries through ld.so.cache under usr-merged names (/lib/x86_64-linux-gnu/libz.so.1):
    // recreate those top-level links, then bind the folders the JVM's libraries (and their soname links) are in.
    for (Path top : SYSTEM_LIBRARY_DIRS) {
      if (top.getNameCount() == 1 && Files.isSymbolicLink(top)) {
        binds.link(top);
      }
    }
    binds.expose(interpreter(javaHome.resolve("bin/java")));
    for (Path lib : loadedLibraries()) {
      if (!lib.startsWith(javaHome) && SYSTEM_LIBRARY_DIRS.stream().anyMatch(lib::startsWith)) {
        binds.dir(lib.getParent());
      }
    }
    binds.fileIfExists(Path.of("/etc/ld.so.cache"));
    a.addAll(binds.args);
    this.classpathInJail = bindJars(classpath, APP_DIR, a);
    this.upgradePathInJail = bindJars(upgradePath, UPGRADE_DIR, a);
    this.prefix = List.copyOf(a);
  }

  /** Binds each of {@code jars} read-only under {@code dir}; returns the paths they have in the jail. */
  private static List<String> bindJars(List<Path> jars, String dir, List<String> args) {
    List<String> inJail = new ArrayList<>();
    for (int i = 0; i < jars.size(); i++) {
      String name = jars.get(i).getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
      String path = dir + "/" + i + "-" + name;
      args.addAll(List.of("--ro-bind", jars.get(i).toString(), path));
      inJail.add(path);
    }
    return List.copyOf(inJail);
  }

  Path binary() {
    return bwrap;
  }

  /** The seccomp program's file (owner-only), for the launcher to open as descriptor {@value #SECCOMP_FD}. */
  Path seccompFile() {
    return seccompFile;
  }

  private static Path writeSeccompProgram() throws IOException {
    Path dir = Files.createTempDirectory("codemode-seccomp-",
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    Path file = Files.write(dir.resolve("worker.bpf"), SeccompFilter.program());
    file.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    return file;
  }

  /** The bwrap arguments up to (not including) the command to run inside, with {@code binds} added to the view. */
  List<String> prefix(List<String> binds) {
    List<String> a = new ArrayList<>(prefix);
    a.addAll(binds);
    a.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--size", Long.toString(TMP_BYTES), "--tmpfs", "/tmp",
        "--dir", CACHE_DIR, "--remount-ro", "/", "--chdir", "/tmp"));
    return a;
  }

  List<String> classpath() {
    return classpathInJail;
  }

  List<String> upgradeModulePath() {
    return upgradePathInJail;
  }

  /** The bind and symlink arguments, each path once; symlinked prefixes (usr-merged /lib64) are recreated. */
  private static final class Binds {
    final List<String> args = new ArrayList<>();
    final Set<String> done = new LinkedHashSet<>();

    void dir(Path p) {
      if (done.add(p.toString())) {
        args.addAll(List.of("--ro-bind", p.toString(), p.toString()));
      }
    }

    void file(Path p) {
      dir(p);
    }

    void fileIfExists(Path p) {
      if (Files.isRegularFile(p)) {
        file(p);
      }
    }

    /** Recreates the symlink {@code p} as it is on the host, without binding what it points to. */
    void link(Path p) throws IOException {
      if (done.add("link:" + p)) {
        args.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), p.toString()));
      }
    }

    /** Makes {@code p} resolve inside the jail as it does on the host: each symlink on the way, then the file. */
    void expose(Path p) throws IOException {
      Path cur = p.getRoot();
      for (int i = 0; i < p.getNameCount(); i++) {
        cur = cur.resolve(p.getName(i));
        if (Files.isSymbolicLink(cur)) {
          Path target = Files.readSymbolicLink(cur);
          link(cur);
          Path resolved = cur.getParent().resolve(target).normalize();
          expose(i + 1 < p.getNameCount() ? resolved.resolve(p.subpath(i + 1, p.getNameCount())) : resolved);
          return;
        }
      }
      file(p);
    }
  }

  /** The shared libraries mapped into this JVM: the worker JVM loads the same ones. */
  private static List<Path> loadedLibraries() throws IOException {
    Set<Path> libs = new LinkedHashSet<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/maps"), StandardCharsets.UTF_8)) {
      int slash = line.indexOf('/');
      if (slash < 0) {
        continue;
      }
      String file = line.substring(slash);
      if (file.endsWith(".so") || file.contains(".so.")) {
        Path p = Path.of(file);
        if (Files.isRegularFile(p)) {
          libs.add(p);
        }
      }
    }
    return new ArrayList<>(libs);
  }

  /** The ELF program interpreter ({@code PT_INTERP}) of a 64-bit executable, e.g. /lib64/ld-linux-x86-64.so.2. */
  static Path interpreter(Path executable) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(executable.toRealPath().toFile(), "r")) {
      byte[] head = new byte[64];
      f.readFully(head);
      if (head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F' || head[4] != 2) {
        throw new IOException("not a 64-bit ELF executable: " + executable);
      }
      ByteBuffer h = ByteBuffer.wrap(head).order(head[5] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
      long phoff = h.getLong(0x20);
      int phentsize = h.getShort(0x36) & 0xffff;
      int phnum = h.getShort(0x38) & 0xffff;
      for (int i = 0; i < phnum; i++) {
        byte[] ph = new byte[phentsize];
        f.seek(phoff + (long) i * phentsize);
        f.readFully(ph);
        ByteBuffer b = ByteBuffer.wrap(ph).order(h.order());
        if (b.getInt(0) == 3) {
          byte[] name = new byte[(int) Math.min(b.getLong(32), 4096)];
          f.seek(b.getLong(8));
          f.readFully(name);
          int len = 0;
          while (len < name.length && name[len] != 0) {
            len++;
          }
          return Path.of(new String(name, 0, len, StandardCharsets.US_ASCII));
        }
      }
      throw new IOException("no program interpreter in " + executable);
    }
  }
}
