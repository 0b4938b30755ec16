package dev.codemode.server.blob;

import dev.codemode.policies.ops.BlobStoreSettings;
import dev.codemode.policies.ops.OpsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The blob stores of one server, opened once at start from {@code store:}: artifacts in {@code artifacts.dir} or
 * the bucket's {@code artifacts/}; with S3, quarantine bundles are also copied to the bucket's {@code quarantine/}.
 */
public final class BlobStores implements AutoCloseable {
  private final BlobStore artifacts;
  private final BlobStore quarantine;
  private final S3Client client;

  private BlobStores(BlobStore artifacts, BlobStore quarantine, S3Client client) {
    this.artifacts = artifacts;
    this.quarantine = quarantine;
    this.client = client;
  }

  /** The stores {@code ops} names. */
  public static BlobStores open(OpsSettings ops) {
    if (ops.store() instanceof BlobStoreSettings.S3 s3) {
      S3Client client = S3BlobStore.client(s3);
      return new BlobStores(new S3BlobStore(client, s3, "artifacts"), new S3BlobStore(client, s3, "quarantine"), client);
    }
    return new BlobStores(new LocalBlobStore(Path.of(ops.artifacts().dir())), null, null);
  }

  /** Where artifacts are kept. */
  public BlobStore artifacts() {
    return artifacts;
  }

  /** The shared store quarantine bundles are copied to, when there is one (the local folder always has them). */
  public Optional<BlobStore> quarantine() {
    return Optional.ofNullable(quarantine);
  }

  /** Copies the files of the local folder {@code dir} into {@code folder} of {@code to}. */
  public static void copyFolder(Path dir, BlobStore to, String folder) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        to.put(folder, f.getFileName().toString(), Files.readAllBytes(f));
      }
    }
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
  }
}
