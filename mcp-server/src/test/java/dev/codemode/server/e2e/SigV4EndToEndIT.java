package dev.codemode.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An allow rule with {@code sign: {aws_sigv4: …}}: the guest reads an object from a local S3-compatible
 * server (s3proxy in this JVM, SigV4 authentication on) without ever holding the keys; the proxy signs the
 * request it built. Through the TypeScript SDK client over stdio.
 */
class SigV4EndToEndIT {
  private static final String KEY_ID = "AKIDCODEMODE" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
  private static final String SECRET_KEY = "secret-" + UUID.randomUUID();
  private static S3Proxy s3;
  private static BlobStoreContext store;
  private static TsClient client;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("codemode-sigv4-it").toRealPath();
    store = ContextBuilder.newBuilder("transient").credentials("unused", "unused").overrides(new Properties())
        .build(BlobStoreContext.class);
    BlobStore blobs = store.getBlobStore();
    blobs.createContainerInLocation(null, "reports");
    blobs.putBlob("reports", blobs.blobBuilder("q3.txt").payload("revenue: 42").build());
    s3 = S3Proxy.builder().blobStore(blobs).awsAuthentication(AuthenticationType.AWS_V4, KEY_ID, SECRET_KEY)
        .endpoint(URI.create("http://127.0.0.1:0")).build();
    s3.start();
    while (!s3.getState().equals("STARTED")) {
      Thread.sleep(20);
    }
    port = s3.getPort();
    Path secretFile = Files.writeString(dir.resolve("aws-secret"), SECRET_KEY + "\n");
    Path config = Files.writeString(dir.resolve("codemode.yaml"), """
        profiles:
          default:
            net:
              enabled: true
              allow:
                - host: 127.0.0.1
                  schemes: [http]
                  ports: [%d]
                  paths: ['/reports/**']
                  allow_private: true
                  sign: {aws_sigv4: {service: s3, region: us-east-1,
                         credentials: {access_key_id: '${env:CODEMODE_IT_AWS_KEY_ID}', secret_access_key: '${file:%s}'}}}
          unsigned:
            net:
              allow: [{host: 127.0.0.1, schemes: [http], ports: [%d], allow_private: true}]
        """.formatted(port, secretFile, port));
    client = TsClient.start();
    client.connectStdio(Map.of("CODEMODE_IT_AWS_KEY_ID", KEY_ID), "--config", config.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    s3.stop();
    store.close();
  }

  private static final String GET = """
      const r = await fetch('http://127.0.0.1:%d/reports/q3.txt', {headers: {'x-amz-date': '19700101T000000Z'}});
      return {status: r.status, body: await r.text(), headers: Object.fromEntries(r.headers.entries())};""";

  @Test
  void aSignedGetSucceedsAndTheGuestNeverSeesKeyMaterial() throws Exception {
    JsonNode answer = client.execute(GET.formatted(port));
    JsonNode s = answer.get("structuredContent");
    assertEquals("ok", s.get("status").asText(), answer.toString());
    assertEquals(200, s.at("/result/status").asInt(), answer.toString());
    assertEquals("revenue: 42", s.at("/result/body").asText());
    assertFalse(answer.toString().contains(SECRET_KEY), "the secret key reached the answer");
    assertFalse(answer.toString().contains(KEY_ID), "the key id reached the answer");
    assertFalse(answer.toString().contains("Signature="), "the signature reached the answer");
  }

  @Test
  void theSameRequestUnsignedIsRefusedByTheStore() throws Exception {
    JsonNode s = client.execute(GET.formatted(port), Map.of("profile", "unsigned")).get("structuredContent");
    assertEquals(403, s.at("/result/status").asInt(), s.toString());
  }

  @Test
  void theGuestCannotForgeTheAuthorizationHeader() throws Exception {
    JsonNode s = client.execute("""
        const r = await fetch('http://127.0.0.1:%d/reports/q3.txt', {headers: {Authorization: 'AWS4-HMAC-SHA256 Credential=x'}});
        return r.status""".formatted(port), Map.of("profile", "unsigned")).get("structuredContent");
    assertTrue(s.get("result").asInt() == 403, s.toString());
  }
}
