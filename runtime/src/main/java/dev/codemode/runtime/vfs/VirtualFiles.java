package dev.codemode.runtime.vfs;

import dev.codemode.policies.Printable;
import dev.codemode.policies.FsPolicy;
import dev.codemode.policies.MountSpec;
import dev.codemode.policies.fs.DenyGlobs;
import dev.codemode.policies.fs.GlobPattern;
import dev.codemode.policies.fs.VirtualPath;
import dev.codemode.runtime.Denial;
import dev.codemode.runtime.DenialRule;
import dev.codemode.runtime.RunJournal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The guest's file system for one run: a table of mounts, each in memory (read-write, fresh,
 * with quotas) or a read-only view of a host folder. Nothing outside the mounts exists for the
 * guest: such paths are refused with EACCES ("outside every mount"), except the root and other
 * ancestors of mount points, which are read-only folders listing only the mount points below
 * them. Every policy refusal is recorded in the run's journal with the rule that made it, once
 * per distinct target and rule.
 * Paths are parsed once, here, and every check and every access uses that parsed path.
 */
public final class VirtualFiles implements ModuleFiles {
  private final RunJournal journal;
  private final DenyGlobs denyGlobs;
  private final List<Mounted> mounts = new ArrayList<>();
  private final long createdMs = System.currentTimeMillis();
  private static final int MAX_DISTINCT_DENIALS = 4096;
  private final Set<Denial> recorded = new HashSet<>();

  /** One entry of the mount table: exactly one of memory and host is set. */
  private record Mounted(VirtualPath path, boolean rw, MemoryMount memory, HostMount host) {}

  /** The checked target of an operation: its mount, or null for the root or a mount's ancestor. */
  private record Target(VirtualPath path, Mounted mount) {}

  /** Builds the mount table; a bad mount or deny glob throws {@link IllegalArgumentException}. */
  public VirtualFiles(FsPolicy policy, RunJournal journal) {
    this.journal = journal;
    this.denyGlobs = DenyGlobs.of(policy.denyGlobs());
    for (MountSpec spec : policy.mounts()) {
      VirtualPath path = VirtualPath.parse(spec.path());
      if (!spec.path().equals(path.toString()) || path.isRoot()) {
        throw new IllegalArgumentException("mount path must be absolute, canonical and not '/': " + spec.path());
      }
      for (Mounted other : mounts) {
        if (path.startsWith(other.path()) || other.path().startsWith(path)) {
          throw new IllegalArgumentException("mounts must not nest or repeat: " + other.path() + ", " + path);
        }
      }
      if (spec.source() == null) {
        if (!spec.rw()) {
          throw new IllegalArgumentException("mount " + path + ": a read-only mount needs a source folder");
        }
        mounts.add(new Mounted(path, true, new MemoryMount(path, policy.maxBytes(), policy.maxFiles(), this::deny), null));
      } else {
        if (spec.rw()) {
          throw new IllegalArgumentException("mount " + path + ": host folders can only be mounted read-only");
        }
        mounts.add(new Mounted(path, false, null, new HostMount(path, Path.of(spec.source()), denyGlobs, this::deny)));
      }
    }
  }

  /** Reads a whole file; more than {@code cap} bytes is refused with EFBIG. */
  @Override
  public synchronized byte[] readFile(String rawPath, long cap) throws FsException {
    Target t = check(rawPath, "open", false);
    if (t.mount() == null) {
      throw FsException.of("EISDIR", "open", t.path().toString(), null);
    }
    return t.mount().memory() != null
        ? t.mount().memory().read(t.path(), "open", cap)
        : t.mount().host().read(t.path(), "open", cap);
  }

  /** Writes (replaces, appends to or exclusively creates) a file whose folder exists. */
  public synchronized void writeFile(String rawPath, byte[] data, WriteMode mode) throws FsException {
    Target t = check(rawPath, "open", true);
    if (t.mount() == null) {
      throw FsException.of("EISDIR", "open", t.path().toString(), null);
    }
    t.mount().memory().write(t.path(), "open", data, mode);
  }

  /** The names in a folder, in name order, without those a deny glob matches. */
  @Override
  public synchronized List<DirEntry> readdir(String rawPath) throws FsException {
    Target t = check(rawPath, "scandir", false);
    List<DirEntry> all;
    if (t.mount() == null) {
      all = new ArrayList<>();
      for (String name : mountChildren(t.path())) {
        all.add(new DirEntry(name, NodeKind.DIRECTORY));
      }
    } else if (t.mount().memory() != null) {
      all = t.mount().memory().list(t.path(), "scandir");
    } else {
      all = t.mount().host().list(t.path(), "scandir");
    }
    List<DirEntry> visible = new ArrayList<>();
    for (DirEntry e : all) {
      VirtualPath child;
      try {
        child = t.path().child(e.name());
      } catch (IllegalArgumentException unrepresentable) {
        continue;
      }
      if (denyGlobs.firstMatch(child).isEmpty()) {
        visible.add(e);
      }
    }
    visible.sort((a, b) -> a.name().compareTo(b.name()));
    return visible;
  }

  @Override
  public synchronized FileStat stat(String rawPath) throws FsException {
    Target t = check(rawPath, "stat", false);
    if (t.mount() == null) {
      return new FileStat(NodeKind.DIRECTORY, 0, createdMs);
    }
    return t.mount().memory() != null
        ? t.mount().memory().stat(t.path(), "stat")
        : t.mount().host().stat(t.path(), "stat");
  }

  /** Creates a folder (and its missing parents when recursive); returns the first one created, or null. */
  public synchronized String mkdir(String rawPath, boolean recursive) throws FsException {
    Target t = check(rawPath, "mkdir", true);
    if (t.mount() == null) {
      if (recursive) {
        return null;
      }
      throw FsException.of("EEXIST", "mkdir", t.path().toString(), null);
    }
    VirtualPath first = t.mount().memory().mkdir(t.path(), "mkdir", recursive);
    return first == null ? null : first.toString();
  }

  /** Removes a file, or a folder with everything in it when recursive; force ignores a missing path. */
  public synchronized void rm(String rawPath, boolean recursive, boolean force) throws FsException {
    Target t = check(rawPath, "rm", true);
    if (t.mount() == null || t.mount().path().equals(t.path())) {
      throw deny(DenialRule.FS_MOUNT, "EBUSY", "rm", t.path(), "mount point");
    }
    t.mount().memory().remove(t.path(), "rm", recursive, force);
  }

  /**
   * For the host after a run: every file at or below a path of an in-memory mount (e.g. the
   * artifacts under {@code /workspace/out}). Not a guest operation: nothing is recorded.
   */
  public synchronized List<StoredFile> files(String rawPath) {
    VirtualPath path = VirtualPath.parse(rawPath);
    for (Mounted m : mounts) {
      if (path.startsWith(m.path()) && m.memory() != null) {
        return m.memory().files(path);
      }
    }
    throw new IllegalArgumentException("not in an in-memory mount: " + rawPath);
  }

  /** Parses and checks a path for an operation; the result is the only form used afterwards. */
  private Target check(String rawPath, String syscall, boolean write) throws FsException {
    VirtualPath path;
    try {
      path = VirtualPath.parse(rawPath);
    } catch (IllegalArgumentException e) {
      String shown = Printable.of(rawPath);
      record(new Denial(DenialRule.FS_INVALID_PATH, shown, "invalid path: " + e.getMessage()));
      throw FsException.of("EINVAL", syscall, shown, e.getMessage());
    }
    Mounted mount = null;
    boolean ancestor = false;
    for (Mounted m : mounts) {
      if (path.startsWith(m.path())) {
        mount = m;
      } else if (m.path().startsWith(path)) {
        ancestor = true;
      }
    }
    if (mount == null && !ancestor) {
      throw deny(DenialRule.FS_MOUNT, "EACCES", syscall, path, "outside every mount");
    }
    Optional<GlobPattern> glob = denyGlobs.firstMatch(path);
    if (glob.isPresent()) {
      throw deny(DenialRule.FS_DENY_GLOB, "EACCES", syscall, path, "deny_globs '" + glob.get().text() + "'");
    }
    if (write && mount != null && !mount.rw()) {
      throw deny(DenialRule.FS_READ_ONLY, "EROFS", syscall, path, "read-only mount " + mount.path());
    }
    return new Target(path, mount);
  }

  private TreeSet<String> mountChildren(VirtualPath dir) {
    TreeSet<String> names = new TreeSet<>();
    for (Mounted m : mounts) {
      if (m.path().startsWith(dir) && !m.path().equals(dir)) {
        names.add(m.path().segments().get(dir.segments().size()));
      }
    }
    return names;
  }

  /**
   * Journals a denial once per run: the module loader asks about one import several times, and a
   * guest retrying in a loop must not flood the result with copies.
   */
  private synchronized void record(Denial denial) {
    // Repeats are told apart only while the set is small: past that the journal counts every refusal,
    // so a run cannot grow the host's memory with distinct denials.
    if (recorded.contains(denial)) {
      return;
    }
    if (recorded.size() < MAX_DISTINCT_DENIALS) {
      recorded.add(denial);
    }
    journal.deny(denial);
  }

  /** Records a denial and returns the exception for the guest; the message names the rule. */
  FsException deny(DenialRule rule, String code, String syscall, VirtualPath path, String reason) {
    record(new Denial(rule, path.toString(), reason));
    return FsException.of(code, syscall, path.toString(), reason);
  }

  /** Records a refusal of a raw path that may not even parse (the module loader's write attempts). */
  @Override
  public FsException refuse(String rawPath, String code, String syscall, String rule) {
    String shown;
    try {
      shown = VirtualPath.parse(rawPath).toString();
    } catch (IllegalArgumentException e) {
      shown = Printable.of(rawPath);
    }
    record(new Denial(DenialRule.FS_READ_ONLY, shown, rule));
    return FsException.of(code, syscall, shown, rule);
  }
}
