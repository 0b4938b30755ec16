package dev.codemode.policies.ops;

import java.net.URI;

/** Where artifacts and quarantine bundles are kept: local folders or one S3-compatible bucket. */
public sealed interface BlobStoreSettings {
  /** Today's behaviour: {@code artifacts.dir} and {@code quarantine.dir} on this host. */
  record Local() implements BlobStoreSettings {}

  /**
   * An S3-compatible bucket; credentials come from the AWS SDK's default chain (environment, profile,
   * web identity, container or instance role).
   *
   * @param endpoint the service URL, or null for AWS S3 in {@code region}
   * @param bucket the bucket (it must exist)
   * @param prefix prepended to every key ({@code artifacts/…} and {@code quarantine/…} follow); empty or ending in '/'
   * @param region the signing region
   * @param pathStyle {@code https://endpoint/bucket/key} instead of {@code https://bucket.endpoint/key} (MinIO, Ceph, …)
   */
  record S3(URI endpoint, String bucket, String prefix, String region, boolean pathStyle) implements BlobStoreSettings {}
}
