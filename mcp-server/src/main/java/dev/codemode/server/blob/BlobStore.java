package dev.codemode.server.blob;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Named byte blobs in folders, where artifacts and quarantine bundles are kept: {@link LocalBlobStore} (a folder on
 * this host) or {@link S3BlobStore} (a bucket every replica reads). Keys are {@code folder/name}, both plain names
 * the caller has validated; a blob appears whole or not at all.
 */
public interface BlobStore {
  /** Stores {@code bytes} under {@code folder/name}, replacing what was there. */
  void put(String folder, String name, byte[] bytes) throws IOException;

  /** The bytes under {@code folder/name}, or empty when there are none. */
  Optional<byte[]> get(String folder, String name) throws IOException;

  /** The folders that hold at least one blob, in no order. */
  List<String> folders() throws IOException;

  /** Removes a folder and every blob in it. */
  void deleteFolder(String folder) throws IOException;

  /** Where the blobs are, for logs. */
  String describe();
}
