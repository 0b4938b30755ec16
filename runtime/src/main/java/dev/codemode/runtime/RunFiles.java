package dev.codemode.runtime;

import dev.codemode.policies.Printable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.policies.FsPolicy;
import dev.codemode.runtime.vfs.DirEntry;
import dev.codemode.runtime.vfs.FileStat;
import dev.codemode.runtime.vfs.FsException;
import dev.codemode.runtime.vfs.FsOps;
import dev.codemode.runtime.vfs.ModuleFiles;
import dev.codemode.runtime.vfs.VirtualFiles;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The files of one run, kept where policy is enforced (in process, or on the host for a worker): it
 * answers the guest's {@code fs.*} capabilities and the module loader's {@code module.*} capabilities,
 * each an allowlist, and hands the artifacts to the host after the run.
 */
public final class RunFiles {
  /** Files under this folder are copied out of the sandbox after the run (artifacts). */
  public static final String KEPT_FOLDER = "/workspace/out";
  static final long MAX_READ_BYTES = 64L << 20;
  static final long MAX_MODULE_BYTES = 4L << 20;
  private static final String FS = "fs.";
  private static final String MODULE = "module.";
  private static final Set<String> MODULE_OPERATIONS = Set.of("readFile", "readdir", "stat", "refuse");
  /** The write attempts the module loader reports; any other name is refused as invalid. */
  private static final Set<String> LOADER_SYSCALLS =
      Set.of("access", "open", "mkdir", "rm", "copyfile", "rename", "link", "symlink", "setattr");
  static final String LOADER_READ_ONLY = "module loading is read-only";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final VirtualFiles files;
  private final FsOps ops;

  /** Builds the run's mount table; a bad mount or deny glob throws {@link IllegalArgumentException}. */
  public RunFiles(FsPolicy policy, RunJournal journal) {
    this.files = new VirtualFiles(policy, journal);
    this.ops = new FsOps(files, Math.min(policy.maxBytes(), MAX_READ_BYTES));
    try {
      // Ready for artifacts, as the tool description promises: code writes there without a mkdir first.
      files.mkdir(KEPT_FOLDER, true);
    } catch (FsException e) {
      // No writable /workspace in this profile: there are no artifacts to keep either.
    }
  }

  /** Whether {@code capability} is one this class serves. */
  public static boolean serves(String capability) {
    return capability.startsWith(FS) || capability.startsWith(MODULE);
  }

  /** What the in-process module loader reads through. */
  ModuleFiles moduleFiles() {
    return files;
  }

  /** Serves one file capability; every failure, unknown names included, is an {@link FsException}. */
  public JsonNode call(String capability, JsonNode args) throws FsException {
    try {
      if (capability.startsWith(FS) && FsOps.OPERATIONS.contains(capability.substring(FS.length()))) {
        return ops.invoke(capability.substring(FS.length()), args);
      }
      if (capability.startsWith(MODULE) && MODULE_OPERATIONS.contains(capability.substring(MODULE.length()))) {
        return moduleCall(capability.substring(MODULE.length()), args);
      }
      throw new FsException("ENOSYS", Printable.of(capability) + " is not available");
    } catch (RuntimeException e) {
      throw new FsException("EIO", Printable.of(capability) + " failed");
    }
  }

  private JsonNode moduleCall(String op, JsonNode args) throws FsException {
    JsonNode path = args == null ? null : args.get("path");
    if (path == null || !path.isTextual()) {
      throw new FsException("EINVAL", "EINVAL: module." + op + " needs 'path' as a string");
    }
    String raw = path.textValue();
    switch (op) {
      case "readFile":
        return JSON.textNode(Base64.getEncoder().encodeToString(files.readFile(raw, MAX_MODULE_BYTES)));
      case "stat":
        return statJson(files.stat(raw));
      case "readdir": {
        ArrayNode out = JSON.arrayNode();
        for (DirEntry e : files.readdir(raw)) {
          out.addObject().put("name", e.name()).put("kind", e.kind().name());
        }
        return out;
      }
      case "refuse": {
        String syscall = args.path("syscall").asText("");
        if (!LOADER_SYSCALLS.contains(syscall)) {
          throw new FsException("EINVAL", "EINVAL: module.refuse needs a known syscall");
        }
        throw files.refuse(raw, "EROFS", syscall, LOADER_READ_ONLY);
      }
      default:
        throw new IllegalStateException("operation allowlisted but not handled: " + op);
    }
  }

  static ObjectNode statJson(FileStat s) {
    return JSON.objectNode().put("kind", s.kind().name()).put("size", s.size()).put("mtimeMs", s.mtimeMs());
  }

  /** The artifacts: every file under {@link #KEPT_FOLDER}. */
  public List<KeptFile> keptFiles() {
    try {
      return files.files(KEPT_FOLDER).stream().map(f -> new KeptFile(f.path(), f.data())).toList();
    } catch (RuntimeException e) {
      return List.of();
    }
  }
}
