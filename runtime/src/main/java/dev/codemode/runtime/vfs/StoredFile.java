package dev.codemode.runtime.vfs;

/** A file of an in-memory mount, read by the host after a run (e.g. an artifact under /workspace/out). */
public record StoredFile(String path, byte[] data, long mtimeMs) {
  public StoredFile {
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }
}
