package dev.codemode.server.e2e;

import java.net.URI;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/** A real S3-compatible server (s3proxy over an in-memory blob store) in this JVM on a free loopback port, SigV4 on. */
public final class S3Server implements AutoCloseable {
  /** The access key id clients must sign with. */
  public final String keyId = "AKIDCODEMODE" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
  /** The secret key clients must sign with. */
  public final String secretKey = "secret-" + UUID.randomUUID();
  private final BlobStoreContext store;
  private final S3Proxy proxy;

  private S3Server(String bucket) throws Exception {
    store = ContextBuilder.newBuilder("transient").credentials("unused", "unused").overrides(new Properties())
        .build(BlobStoreContext.class);
    store.getBlobStore().createContainerInLocation(null, bucket);
    proxy = S3Proxy.builder().blobStore(store.getBlobStore()).awsAuthentication(AuthenticationType.AWS_V4, keyId, secretKey)
        .endpoint(URI.create("http://127.0.0.1:0")).build();
    proxy.start();
    while (!proxy.getState().equals("STARTED")) {
      Thread.sleep(20);
    }
  }

  /** Starts one holding the empty {@code bucket}. */
  public static S3Server start(String bucket) throws Exception {
    return new S3Server(bucket);
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** The object keys in {@code bucket}, for checks that something was (or was not) written. */
  public java.util.List<String> keys(String bucket) {
    return store.getBlobStore().list(bucket, org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive())
        .stream().map(m -> m.getName()).toList();
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    store.close();
  }
}
