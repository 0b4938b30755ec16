package dev.codemode.runtime.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a worker JVM needs to run Truffle's optimizing JIT: a JDK of exactly the pinned patch release (with
 * JVMCI) and the pinned Graal jars of that same release, found and checked once at start-up. Truffle's
 * optimizing runtime only works with every Graal artifact at the JDK's own release; mixed versions silently
 * run interpreted, so nothing here is guessed: the versions come from the parent pom ({@code jit.properties}).
 *
 * @param javaHome the JDK the worker JVM runs on
 * @param classpath the Graal jars that replace the server's own Graal jars on the worker's class path
 * @param upgradeModulePath the Graal compiler jars, on {@code --upgrade-module-path}
 * @param version the Graal release of those jars
 */
public record JitRuntime(Path javaHome, List<Path> classpath, List<Path> upgradeModulePath, String version) {
  /** The system property naming the folder of the JIT jars (else {@code jit/} beside the server's Graal jars). */
  public static final String LIB_PROPERTY = "codemode.jit.lib";
  /** Set on worker JVMs that run in JIT mode: their engine has no {@code sandbox.*} limits, codemode enforces them. */
  public static final String WORKER_PROPERTY = "codemode.jit";
  static final List<String> CLASS_PATH_ARTIFACTS = List.of("polyglot", "truffle-api", "truffle-runtime", "js-language",
      "regex", "icu4j", "xz", "jniutils", "nativeimage");
  static final List<String> UPGRADE_ARTIFACTS = List.of("compiler", "truffle-compiler", "collections", "word");
  private static final List<Path> JDK_FOLDERS = List.of(Path.of("/usr/lib/jvm"), Path.of("/opt/java"), Path.of("/usr/java"));

  public JitRuntime {
    classpath = List.copyOf(classpath);
    upgradeModulePath = List.copyOf(upgradeModulePath);
  }

  /** The pinned versions, from the parent pom. */
  record Pins(String graalJit, String jdk, String graalInterpreted) {
    static Pins load() {
      Properties p = new Properties();
      try (InputStream in = JitRuntime.class.getResourceAsStream("jit.properties")) {
        if (in == null) {
          throw new IllegalStateException("jit.properties is missing from the runtime jar");
        }
        p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Pins(p.getProperty("graalvm.jit.version"), p.getProperty("graalvm.jit.jdk"), p.getProperty("graalvm.version"));
    }
  }

  /** Where JIT mode can run, or why it cannot. */
  public sealed interface Resolution permits Found, Missing {}

  /** JIT mode can run with {@code runtime}. */
  public record Found(JitRuntime runtime) implements Resolution {}

  /** JIT mode cannot run here: {@code reason} says what is missing. */
  public record Missing(String reason) implements Resolution {}

  /**
   * Looks for the pinned JDK ({@code java.home} first, then the usual JDK folders) and the pinned jars
   * ({@value #LIB_PROPERTY}, else {@code jit/} beside the Graal jars of {@code appClasspath}).
   */
  public static Resolution resolve(List<Path> appClasspath) {
    Pins pins = Pins.load();
    Path lib = libFolder(appClasspath, pins);
    if (lib == null) {
      return new Missing("no JIT jar folder (set -D" + LIB_PROPERTY + " or package the server: target/lib/jit)");
    }
    List<Path> cp = new ArrayList<>();
    List<Path> up = new ArrayList<>();
    for (String a : CLASS_PATH_ARTIFACTS) {
      Path jar = lib.resolve(a + "-" + pins.graalJit() + ".jar");
      if (!Files.isRegularFile(jar)) {
        return new Missing("JIT jar " + jar + " is missing (Graal " + pins.graalJit() + " pinned)");
      }
      cp.add(jar);
    }
    for (String a : UPGRADE_ARTIFACTS) {
      Path jar = lib.resolve(a + "-" + pins.graalJit() + ".jar");
      if (!Files.isRegularFile(jar)) {
        return new Missing("JIT jar " + jar + " is missing (Graal " + pins.graalJit() + " pinned)");
      }
      up.add(jar);
    }
    Path jdk = findJdk(pins.jdk());
    if (jdk == null) {
      return new Missing("no JDK " + pins.jdk() + " with JVMCI found (java.home, " + JDK_FOLDERS
          + "): Graal " + pins.graalJit() + "'s JIT needs exactly that patch release");
    }
    return new Found(new JitRuntime(jdk, cp, up, pins.graalJit()));
  }

  /** The worker's class path: {@code appClasspath} without the server's own Graal jars, with the JIT jars. */
  List<Path> workerClasspath(List<Path> appClasspath) {
    String suffix = "-" + Pins.load().graalInterpreted() + ".jar";
    List<Path> out = new ArrayList<>();
    for (Path p : appClasspath) {
      if (!p.getFileName().toString().endsWith(suffix)) {
        out.add(p);
      }
    }
    out.addAll(classpath);
    return out;
  }

  /** The JVM flags that turn the optimizing runtime on, with {@code upgradePath} as the jars appear to the JVM. */
  static List<String> jvmFlags(List<String> upgradePath) {
    return List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
        "--upgrade-module-path=" + String.join(java.io.File.pathSeparator, upgradePath), "-D" + WORKER_PROPERTY + "=true");
  }

  /** One line for the start-up log. */
  public String describe() {
    return "JIT on (Graal " + version + " optimizing runtime, JDK " + javaHome + ")";
  }

  private static Path libFolder(List<Path> appClasspath, Pins pins) {
    String set = System.getProperty(LIB_PROPERTY);
    if (set != null && !set.isEmpty()) {
      Path p = Path.of(set).toAbsolutePath();
      return Files.isDirectory(p) ? p : null;
    }
    String polyglot = "polyglot-" + pins.graalInterpreted() + ".jar";
    for (Path p : appClasspath) {
      if (p.getFileName().toString().equals(polyglot)) {
        Path jit = p.getParent().resolve("jit");
        return Files.isDirectory(jit) ? jit : null;
      }
    }
    return null;
  }

  /** A JDK whose {@code release} file says exactly {@code version} and lists the JVMCI module, or null. */
  static Path findJdk(String version) {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of(System.getProperty("java.home")));
    for (Path dir : JDK_FOLDERS) {
      if (Files.isDirectory(dir)) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
          s.forEach(found::add);
        } catch (IOException ignored) {
          // An unreadable folder holds no candidate.
        }
        found.sort(null);
        candidates.addAll(found);
      }
    }
    for (Path c : candidates) {
      if (matches(c, version)) {
        try {
          return c.toRealPath();
        } catch (IOException e) {
          continue;
        }
      }
    }
    return null;
  }

  private static boolean matches(Path home, String version) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
      return false;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(release)) {
      p.load(in);
    } catch (IOException e) {
      return false;
    }
    String v = unquote(p.getProperty("JAVA_VERSION"));
    String modules = unquote(p.getProperty("MODULES"));
    return version.equals(v) && modules != null && List.of(modules.split(" ")).contains("jdk.internal.vm.ci");
  }

  private static String unquote(String s) {
    return s == null ? null : s.replace("\"", "").trim();
  }
}
