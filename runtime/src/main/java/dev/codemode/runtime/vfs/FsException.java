package dev.codemode.runtime.vfs;

import java.util.Map;

/** A file operation that failed, with the Node error code the guest sees and a message for people. */
public final class FsException extends Exception {
  private static final long serialVersionUID = 1L;

  private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
      Map.entry("ENOENT", "no such file or directory"),
      Map.entry("EACCES", "permission denied"),
      Map.entry("EROFS", "read-only file system"),
      Map.entry("EISDIR", "illegal operation on a directory"),
      Map.entry("ENOTDIR", "not a directory"),
      Map.entry("EEXIST", "file already exists"),
      Map.entry("ENOTEMPTY", "directory not empty"),
      Map.entry("EDQUOT", "disk quota exceeded"),
      Map.entry("EFBIG", "file too large"),
      Map.entry("EBUSY", "resource busy or locked"),
      Map.entry("EINVAL", "invalid argument"),
      Map.entry("ELOOP", "too many symbolic links encountered"),
      Map.entry("EIO", "i/o error"));

  private final String code;

  public FsException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** A Node-style message: {@code ENOENT: no such file or directory, stat '/workspace/x'}, plus detail. */
  static FsException of(String code, String syscall, String path, String detail) {
    String text = code + ": " + DESCRIPTIONS.getOrDefault(code, "error") + ", " + syscall + " '" + path + "'";
    return new FsException(code, detail == null ? text : text + " (" + detail + ")");
  }

  /** The Node error code, e.g. {@code ENOENT}. */
  public String code() {
    return code;
  }
}
