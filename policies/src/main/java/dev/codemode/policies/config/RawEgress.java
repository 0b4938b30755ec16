package dev.codemode.policies.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The YAML of credential sources, the upstream proxy and request signing, as written. */
final class RawEgress {
  private RawEgress() {}

  /** One entry under {@code credentials:}: exactly one of the source kinds. */
  record RawCredentialSource(
      @JsonProperty("env") String env,
      @JsonProperty("file") String file,
      @JsonProperty("command") List<String> command,
      @JsonProperty("ttl_s") Long ttlS,
      @JsonProperty("oauth_client_credentials") RawOAuth oauthClientCredentials) {}

  record RawOAuth(
      @JsonProperty("token_url") String tokenUrl,
      @JsonProperty("client_id") String clientId,
      @JsonProperty("client_secret") String clientSecret,
      @JsonProperty("scope") String scope,
      @JsonProperty("audience") String audience) {}

  record RawUpstreamProxy(
      @JsonProperty("url") String url,
      @JsonProperty("credentials") String credentials,
      @JsonProperty("no_proxy") List<String> noProxy) {}

  record RawSign(@JsonProperty("aws_sigv4") RawSigV4 awsSigV4) {}

  record RawSigV4(
      @JsonProperty("service") String service,
      @JsonProperty("region") String region,
      @JsonProperty("credentials") RawAwsCredentials credentials) {}

  record RawAwsCredentials(
      @JsonProperty("access_key_id") String accessKeyId,
      @JsonProperty("secret_access_key") String secretAccessKey,
      @JsonProperty("session_token") String sessionToken) {}
}
