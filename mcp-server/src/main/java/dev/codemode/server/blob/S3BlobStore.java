package dev.codemode.server.blob;

import dev.codemode.policies.ops.BlobStoreSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs in an S3-compatible bucket under {@code <prefix><area>/}, through the AWS SDK for Java v2 (credentials from its
 * default chain). An object is visible whole once its PUT returns, so readers on other replicas never see half of one.
 */
public final class S3BlobStore implements BlobStore {
  private final S3Client s3;
  private final String bucket;
  private final String root;

  /** The client for {@code settings}, shared by the areas (artifacts, quarantine) of one server. */
  public static S3Client client(BlobStoreSettings.S3 settings) {
    S3ClientBuilder b = S3Client.builder().region(Region.of(settings.region()))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .forcePathStyle(settings.pathStyle())
        // Checksums only where S3 requires them: many S3-compatible servers reject the SDK's default streaming
        // trailer checksums ("x-amz-content-sha256 does not match").
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (settings.endpoint() != null) {
      b.endpointOverride(settings.endpoint());
    }
    return b.build();
  }

  /** The blobs of {@code area} ({@code artifacts}, {@code quarantine}) in the bucket of {@code settings}. */
  public S3BlobStore(S3Client s3, BlobStoreSettings.S3 settings, String area) {
    this.s3 = s3;
    this.bucket = settings.bucket();
    this.root = settings.prefix() + area + "/";
  }

  @Override
  public void put(String folder, String name, byte[] bytes) throws IOException {
    call(() -> s3.putObject(r -> r.bucket(bucket).key(root + folder + "/" + name), RequestBody.fromBytes(bytes)));
  }

  @Override
  public Optional<byte[]> get(String folder, String name) throws IOException {
    try {
      return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(root + folder + "/" + name)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw new IOException("s3://" + bucket + "/" + root + folder + "/" + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> folders() throws IOException {
    List<String> out = new ArrayList<>();
    call(() -> {
      ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(bucket).prefix(root).delimiter("/").build();
      for (ListObjectsV2Response page : s3.listObjectsV2Paginator(req)) {
        for (CommonPrefix p : page.commonPrefixes()) {
          String folder = p.prefix().substring(root.length());
          out.add(folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder);
        }
      }
      return null;
    });
    return out;
  }

  @Override
  public void deleteFolder(String folder) throws IOException {
    call(() -> {
      ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(bucket).prefix(root + folder + "/").build();
      // One DELETE per object: the batch call needs a checksum header that several S3-compatible servers reject.
      for (ListObjectsV2Response page : s3.listObjectsV2Paginator(req)) {
        for (S3Object o : page.contents()) {
          s3.deleteObject(r -> r.bucket(bucket).key(o.key()));
        }
      }
      return null;
    });
  }

  @Override
  public String describe() {
    return "s3://" + bucket + "/" + root;
  }

  private void call(java.util.function.Supplier<?> request) throws IOException {
    try {
      request.get();
    } catch (SdkException e) {
      throw new IOException(describe() + ": " + e.getMessage(), e);
    }
  }
}
