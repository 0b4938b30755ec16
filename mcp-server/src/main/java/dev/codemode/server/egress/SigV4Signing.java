package dev.codemode.server.egress;

import dev.codemode.policies.SigV4Spec;
import dev.codemode.policies.net.EgressTarget;
import dev.codemode.server.Secrets;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Signs one hop with AWS Signature Version 4 (the AWS SDK's signer), after the guest built the request
 * and the proxy filtered its headers: the request's own headers, host and body are signed, and the
 * signature headers ({@code Authorization}, {@code X-Amz-Date}, {@code x-amz-content-sha256},
 * {@code X-Amz-Security-Token}) are added. The keys are read from their sources for every hop and never
 * leave the host except as the signature.
 */
final class SigV4Signing {
  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
  /** Headers the signature sets; a guest's own value for one is dropped, not signed. */
  private static final java.util.Set<String> SIGNER_OWNED = java.util.Set.of("authorization", "x-amz-date",
      "x-amz-content-sha256", "x-amz-security-token");

  private SigV4Signing() {}

  /** {@code headers} plus the signature headers; {@code secretsOut} receives the key material used. */
  static List<Map.Entry<String, String>> sign(SigV4Spec spec, Secrets secrets, EgressTarget target, String hostHeader,
      List<Map.Entry<String, String>> headers, byte[] body, List<String> secretsOut) {
    String keyId = secrets.resolve(spec.accessKeyId());
    String secretKey = secrets.resolve(spec.secretAccessKey());
    String token = spec.sessionToken() == null ? null : secrets.resolve(spec.sessionToken());
    secretsOut.add(secretKey);
    if (token != null) {
      secretsOut.add(token);
    }
    byte[] payload = body == null ? new byte[0] : body;
    SdkHttpRequest.Builder request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.fromValue(target.method()))
        .uri(URI.create(target.scheme() + "://" + hostHeader + target.requestTarget()))
        .putHeader("Host", hostHeader)
        .putHeader("x-amz-content-sha256", sha256Hex(payload));
    for (Map.Entry<String, String> h : headers) {
      if (!SIGNER_OWNED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        request.appendHeader(h.getKey(), h.getValue());
      }
    }
    AwsCredentialsIdentity identity = token == null ? AwsCredentialsIdentity.create(keyId, secretKey)
        : AwsSessionCredentialsIdentity.create(keyId, secretKey, token);
    boolean s3 = spec.service().equals("s3");
    SignedRequest signed = SIGNER.sign(r -> r.identity(identity)
        .request(request.build())
        .payload(ContentStreamProvider.fromByteArrayUnsafe(payload))
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, spec.service())
        .putProperty(AwsV4HttpSigner.REGION_NAME, spec.region())
        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, !s3)
        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, !s3));
    List<Map.Entry<String, String>> out = new ArrayList<>();
    signed.request().forEachHeader((name, values) -> {
      if (!name.equalsIgnoreCase("host")) {
        values.forEach(v -> out.add(Map.entry(name, v)));
      }
    });
    for (Map.Entry<String, String> h : out) {
      if (h.getKey().toLowerCase(Locale.ROOT).equals("authorization")) {
        secretsOut.add(h.getValue());
      }
    }
    return out;
  }

  private static String sha256Hex(byte[] payload) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
